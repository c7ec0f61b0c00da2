class ScheduleEntrypoints:
    pass
