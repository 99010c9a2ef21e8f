"""Documents held by an activity (a mission included) or a programme: agendas, presentations, reports,
photographs of flip charts. Files live outside the web root behind `storage.Storage`."""
