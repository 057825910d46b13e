-- A cahier des charges owns the documents of its versions: the kind joins the CHECK of
-- documents.owner_kind.
ALTER TABLE documents DROP CONSTRAINT documents_owner_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_owner_kind_check
    CHECK (owner_kind IN ('reunion', 'adoption', 'convention', 'avenant', 'candidature', 'marche', 'cahier'));
