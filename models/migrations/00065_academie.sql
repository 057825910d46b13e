-- The académie the installation serves (issue 17, « any académie »): its name, its
-- school-holiday zone and the rectorat's details for the legal pages, loaded with its
-- reference data (seeds: academie.json) instead of being written in the code. One row: an
-- installation serves one académie, whose départements are those of the departements table.
CREATE TABLE academie (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    code              TEXT NOT NULL,
    nom               TEXT NOT NULL,
    zone              TEXT NOT NULL,
    adresse_rectorat  TEXT NOT NULL DEFAULT '',
    courriel_dpd      TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);

-- A database loaded before this migration holds Créteil's territory (the only académie the
-- product knew): it keeps its name without loading the reference data again.
INSERT INTO academie (id, code, nom, zone, adresse_rectorat, courriel_dpd, created_at, updated_at)
SELECT 1, 'creteil', 'Créteil', 'C', '4 rue Georges Enesco, 94010 Créteil Cedex', 'dpd@ac-creteil.fr',
       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
WHERE EXISTS (SELECT 1 FROM departements WHERE academie = 'Créteil');
