class PageEntrypoints:
    pass
