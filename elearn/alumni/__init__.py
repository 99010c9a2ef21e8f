"""The alumni directory: people who took part in activities and chose to be listed, showing only what each
chose to show, searchable by parliament, topic and activity."""
