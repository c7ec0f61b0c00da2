"""Full-text search over everything every unit publishes (articles, legal documents, leadership
schedules, answered questions), fed by the content service's events."""
