class MediaEntrypoints:
    pass
