-- The live decisions of each meeting, in the order of their ids: the decisions list counts
-- them per live meeting of the scope, and reads a page of them meeting by meeting, latest
-- first, from this index alone (archived_at, always NULL here, is in it so that SQLite
-- knows it need not read the decision's row to check it).
CREATE INDEX decisions_reunion_live ON decisions (reunion_id, archived_at, id) WHERE archived_at IS NULL;

ANALYZE decisions;
