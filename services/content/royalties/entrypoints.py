class RoyaltyEntrypoints:
    pass
