"""Participation reports for trainers and funders: figures as plain data, tables, SVG charts, CSV and XLSX."""
