"""The editorial board's workspace (/quan-tri): server-rendered pages for a unit's staff, signed
in by password, working without JavaScript. Each module holds the pages of one area."""
