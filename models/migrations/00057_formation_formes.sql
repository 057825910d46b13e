-- The teachers trained per école, kept rather than counted on every page (the training's
-- coverage at national scale read 100,000 registrations per view): refreshFormationFormes
-- recomputes the rows of a session's écoles in the transaction of every change of its
-- registrations, attendance or status. An école without row has nobody trained.
CREATE TABLE formation_formes (
    uai    TEXT PRIMARY KEY REFERENCES ecoles (uai),
    formes INTEGER NOT NULL CHECK (formes > 0)
);
INSERT INTO formation_formes (uai, formes)
    SELECT fi.uai, SUM(CASE WHEN fi.kind = 'ecole' THEN COALESCE(fi.presents, 0) ELSE 1 END)
    FROM formation_inscriptions fi JOIN formations tf ON tf.id = fi.formation_id
    WHERE fi.uai IS NOT NULL AND fi.statut = 'inscrit' AND (fi.kind = 'ecole' OR fi.presence = 'present')
        AND tf.statut = 'tenue' AND tf.archived_at IS NULL AND tf.public IN ('enseignants', 'directeurs')
    GROUP BY fi.uai
    HAVING SUM(CASE WHEN fi.kind = 'ecole' THEN COALESCE(fi.presents, 0) ELSE 1 END) > 0;
