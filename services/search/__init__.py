"""Full-text search over every unit's published articles, fed by the content service's events."""
