-- Imports of the écoles update tens of thousands of rows, mostly their pupils and classes.
-- The index on the pupils served no query (the lists sort on COALESCE(nb_eleves, 0), which
-- it cannot give, and nothing filters on the count) but was rewritten for every école whose
-- count changed; on PostgreSQL it also barred the in-place (HOT) update of the row, which
-- writes no index entry at all.
DROP INDEX ecoles_eleves;
