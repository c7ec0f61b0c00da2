class QuestionEntrypoints:
    pass
