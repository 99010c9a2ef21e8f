"""International mentoring: a mentor from an assisting parliament and a mentee from a partner parliament,
paired for months under an agreement (objectives, period, meeting frequency), meeting online or in person,
keeping a private log, and reviewing the pairing at its end."""
