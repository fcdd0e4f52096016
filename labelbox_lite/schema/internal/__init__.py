"""`labelbox.schema.internal`: the SDK's internal paths scripts import upsert items from."""
