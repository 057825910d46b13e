-- The decisions register filtered by a territory reads the decisions of one département or
-- commune: an index by territory first (the primary key starts with the decision).
CREATE INDEX decision_territoires_territoire ON decision_territoires (niveau, code, decision_id);
