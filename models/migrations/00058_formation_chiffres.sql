-- Figures of the training kept in tables (issue 13, at national scale): the coverage of
-- the écoles opened, and the sums of the evaluations of each session.

-- The training's coverage of the écoles opened, kept per école rather than joined on every
-- page (at national scale the page joined 47,000 deployments, écoles and trained counts and
-- sorted them all): one row per école opened (phase ouvert or généralisé) with its
-- deployment's territory and wave, the estimate of its teaching staff (classes + 1
-- director), its teachers trained and their ratio. refreshTrainingCoverage recomputes the rows of
-- the départements whose deployments change, of the écoles whose trained change, and all of
-- them at every import of écoles (formation_couverture_kept.go). couverture_groupes sums
-- them per département, circonscription ('' none) and wave (0 none), for the pages of the
-- académie, a département or a circonscription (a few thousand rows instead of 47,000).
CREATE TABLE couverture_ecoles (
    uai                   TEXT PRIMARY KEY REFERENCES ecoles (uai),
    departement_code      TEXT NOT NULL,
    code_circonscription  TEXT,
    code_insee            TEXT NOT NULL,
    vague_id              BIGINT,
    estimation            INTEGER NOT NULL CHECK (estimation > 0),
    formes                INTEGER NOT NULL DEFAULT 0,
    taux                  DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX couverture_ecoles_taux ON couverture_ecoles (taux, code_insee, uai);
CREATE INDEX couverture_ecoles_departement ON couverture_ecoles (departement_code, taux, code_insee, uai);
CREATE INDEX couverture_ecoles_circonscription ON couverture_ecoles (code_circonscription, taux, code_insee, uai);
CREATE INDEX couverture_ecoles_commune ON couverture_ecoles (code_insee, taux, uai);
INSERT INTO couverture_ecoles (uai, departement_code, code_circonscription, code_insee, vague_id, estimation, formes, taux)
    SELECT d.uai, d.departement_code, d.code_circonscription, d.code_insee, d.vague_id,
        COALESCE(e.nb_classes, 0) + 1, COALESCE(t.formes, 0),
        CAST(COALESCE(t.formes, 0) AS DOUBLE PRECISION) / (COALESCE(e.nb_classes, 0) + 1)
    FROM deploiements d JOIN ecoles e ON e.uai = d.uai LEFT JOIN formation_formes t ON t.uai = d.uai
    WHERE d.phase IN ('ouvert', 'generalise');

CREATE TABLE couverture_groupes (
    departement_code      TEXT NOT NULL,
    code_circonscription  TEXT NOT NULL DEFAULT '',
    vague_id              BIGINT NOT NULL DEFAULT 0,
    ecoles                INTEGER NOT NULL,
    estimation            INTEGER NOT NULL,
    formes                INTEGER NOT NULL,
    sans_formation        INTEGER NOT NULL,
    PRIMARY KEY (departement_code, code_circonscription, vague_id)
);
CREATE INDEX couverture_groupes_circonscription ON couverture_groupes (code_circonscription);
INSERT INTO couverture_groupes (departement_code, code_circonscription, vague_id, ecoles, estimation, formes, sans_formation)
    SELECT departement_code, COALESCE(code_circonscription, ''), COALESCE(vague_id, 0), COUNT(*), SUM(estimation), SUM(formes),
        SUM(CASE WHEN formes = 0 THEN 1 ELSE 0 END)
    FROM couverture_ecoles GROUP BY departement_code, COALESCE(code_circonscription, ''), COALESCE(vague_id, 0);

-- The sums of the evaluations of each session, kept with it (the aggregated evaluations read
-- 5,000 sessions instead of their 50,000 answers): refreshEvaluationSums recomputes them in
-- the transaction of every answer recorded (formation_evaluation.go).
ALTER TABLE formations ADD COLUMN eval_reponses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE formations ADD COLUMN eval_satisfaction INTEGER NOT NULL DEFAULT 0;
ALTER TABLE formations ADD COLUMN eval_utilite INTEGER NOT NULL DEFAULT 0;
ALTER TABLE formations ADD COLUMN eval_oui INTEGER NOT NULL DEFAULT 0;
ALTER TABLE formations ADD COLUMN eval_non INTEGER NOT NULL DEFAULT 0;
ALTER TABLE formations ADD COLUMN eval_peut_etre INTEGER NOT NULL DEFAULT 0;
UPDATE formations SET
    eval_reponses = (SELECT COUNT(*) FROM formation_evaluations ev WHERE ev.formation_id = formations.id),
    eval_satisfaction = (SELECT COALESCE(SUM(ev.satisfaction), 0) FROM formation_evaluations ev WHERE ev.formation_id = formations.id),
    eval_utilite = (SELECT COALESCE(SUM(ev.utilite), 0) FROM formation_evaluations ev WHERE ev.formation_id = formations.id),
    eval_oui = (SELECT COUNT(*) FROM formation_evaluations ev WHERE ev.formation_id = formations.id AND ev.usage_classe = 'oui'),
    eval_non = (SELECT COUNT(*) FROM formation_evaluations ev WHERE ev.formation_id = formations.id AND ev.usage_classe = 'non'),
    eval_peut_etre = (SELECT COUNT(*) FROM formation_evaluations ev WHERE ev.formation_id = formations.id AND ev.usage_classe = 'peut_etre');
