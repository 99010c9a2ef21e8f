"""On site: tickets with QR codes, check-in at the door (also offline), check-in helpers and name badges."""
