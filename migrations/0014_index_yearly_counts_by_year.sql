-- The statistics' top-N objects and inspectors of a year read the counter caches by year
-- (docs/statistics.md): without these they scan every year's rows.
CREATE INDEX object_yearly_counts_by_year ON object_yearly_counts (year, object_id);
CREATE INDEX inspector_yearly_counts_by_year ON inspector_yearly_counts (year, inspector_id);
