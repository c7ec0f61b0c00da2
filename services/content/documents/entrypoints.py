class DocumentEntrypoints:
    pass
