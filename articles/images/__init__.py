"""The media library's files: safe uploads and renditions (``uploads``, ``renditions``), and
their delivery in pages and the API (``delivery``)."""
