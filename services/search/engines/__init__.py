"""Search engines behind one interface (`base.SearchEngine`): embedded tantivy or Elasticsearch."""
