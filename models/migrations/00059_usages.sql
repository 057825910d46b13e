-- ENT usage (issue 14): the statistics exported by the ENT platform (ONE, ENT-NG family),
-- imported per école × period × profile, with the history of the imports and what each
-- replaced (to undo it), and the figures kept per circonscription × month × profile for the
-- académie and département pages.

-- An import of a statistics file: who, when, which file, what it held. undone_at is set
-- when it was undone (its rows removed, the rows it replaced restored).
CREATE TABLE usage_imports (
    id                {{id}},
    fichier           TEXT NOT NULL,
    imported_at       {{timestamp}} NOT NULL,
    actor             TEXT NOT NULL,
    actor_id          BIGINT REFERENCES users (id),
    departement_code  TEXT REFERENCES departements (code),
    periode_debut     DATE NOT NULL,
    periode_fin       DATE NOT NULL,
    lignes            INTEGER NOT NULL DEFAULT 0,
    ecoles            INTEGER NOT NULL DEFAULT 0,
    ignorees          INTEGER NOT NULL DEFAULT 0,
    remplacees        INTEGER NOT NULL DEFAULT 0,
    undone_at         {{timestamp}},
    undone_by         TEXT
);
CREATE INDEX usage_imports_at ON usage_imports (imported_at);

-- The figures of an école for a period (its first day and the file's granularity) and a
-- profile. A NULL count is unknown (empty in the file), never 0. comptes_actives is a
-- cumulative stock, comptes_charges a stock at the date, connexions and visiteurs flows of
-- the period. The territory is repeated from the école (as for deploiements) for the scope.
CREATE TABLE usages (
    uai                   TEXT NOT NULL REFERENCES ecoles (uai),
    periode               DATE NOT NULL,
    granularite           TEXT NOT NULL CHECK (granularite IN ('mois', 'semaine', 'jour')),
    profil                TEXT NOT NULL CHECK (profil IN ('eleve', 'parent', 'enseignant', 'personnel', 'invite')),
    connexions            BIGINT CHECK (connexions IS NULL OR connexions >= 0),
    visiteurs             BIGINT CHECK (visiteurs IS NULL OR visiteurs >= 0),
    comptes_charges       BIGINT CHECK (comptes_charges IS NULL OR comptes_charges >= 0),
    comptes_actives       BIGINT CHECK (comptes_actives IS NULL OR comptes_actives >= 0),
    import_id             BIGINT NOT NULL REFERENCES usage_imports (id),
    departement_code      TEXT NOT NULL REFERENCES departements (code),
    code_circonscription  TEXT,
    code_insee            TEXT NOT NULL,
    PRIMARY KEY (uai, periode, granularite, profil)
);
CREATE INDEX usages_import ON usages (import_id);
CREATE INDEX usages_departement ON usages (departement_code, periode);
CREATE INDEX usages_circonscription ON usages (code_circonscription, periode);
CREATE INDEX usages_commune ON usages (code_insee, periode);

-- The rows an import replaced, as they were, to restore them when it is undone.
CREATE TABLE usages_remplacees (
    import_id             BIGINT NOT NULL REFERENCES usage_imports (id),
    uai                   TEXT NOT NULL,
    periode               DATE NOT NULL,
    granularite           TEXT NOT NULL,
    profil                TEXT NOT NULL,
    connexions            BIGINT,
    visiteurs             BIGINT,
    comptes_charges       BIGINT,
    comptes_actives       BIGINT,
    ancien_import_id      BIGINT NOT NULL,
    PRIMARY KEY (import_id, uai, periode, granularite, profil)
);

-- The monthly figures kept per département × circonscription × month × profile (months
-- from any granularity: flows summed over the month, stocks as at the latest period of the
-- month), recomputed in the transaction of every import and undo for the months touched.
-- Each sum counts only known values; the *_connus columns say how many écoles reported
-- both terms of each rate, so that a rate is never computed over unknowns.
CREATE TABLE usages_mois (
    departement_code      TEXT NOT NULL,
    code_circonscription  TEXT NOT NULL DEFAULT '',
    mois                  DATE NOT NULL,
    profil                TEXT NOT NULL,
    ecoles                INTEGER NOT NULL DEFAULT 0,
    comptes_charges       BIGINT NOT NULL DEFAULT 0,
    comptes_actives       BIGINT NOT NULL DEFAULT 0,
    connexions            BIGINT NOT NULL DEFAULT 0,
    visiteurs             BIGINT NOT NULL DEFAULT 0,
    activation_charges    BIGINT NOT NULL DEFAULT 0,
    activation_actives    BIGINT NOT NULL DEFAULT 0,
    activite_actives      BIGINT NOT NULL DEFAULT 0,
    activite_visiteurs    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (departement_code, code_circonscription, mois, profil)
);
CREATE INDEX usages_mois_mois ON usages_mois (mois, departement_code);
