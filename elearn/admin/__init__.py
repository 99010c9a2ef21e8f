"""Administration pages that read across features (the audit log); they sit above every feature."""
