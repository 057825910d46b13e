-- Leave room in each page of the écoles for a new version of its rows: an import's update of
-- the counts then stays in the page (HOT), without an entry in each of the table's indexes
-- (the trigram index among them). Applies to the pages written from now on.
ALTER TABLE ecoles SET (fillfactor = 90);
