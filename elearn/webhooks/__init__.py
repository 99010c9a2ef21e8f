"""Webhooks: partner systems told of registrations, activities and attendance as they change, by signed
HTTP POSTs written to an outbox in the change's own transaction and delivered at least once."""
