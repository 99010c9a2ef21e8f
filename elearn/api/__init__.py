"""The JSON API under /api/v1: resources for partners' and funders' systems, personal access tokens, the OpenAPI
description (written by flask-smorest from the views and their marshmallow schemas) and its browsable page."""
