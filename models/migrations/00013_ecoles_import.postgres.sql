-- Leave half of each page of the écoles free for new versions of its rows: an import that
-- updates the counts of every école then updates each row in its own page (HOT: no entry
-- written in any of the table's indexes, the trigram one among them, for a quarter of the
-- cost of an update that moves the row); the old versions are pruned once the import is
-- committed, freeing the room for the next one. Within one import, only the rows that fit in
-- the free part of their page stay there: a tenth left 90 % of them moving. The table takes
-- twice the pages (16 MiB at national scale). Applies to the pages written from now on: rows
-- already there get the room as they move.
ALTER TABLE ecoles SET (fillfactor = 50);
