-- ENT usage (issue 14), read side: the monthly figures kept per département × month ×
-- profile, the sums of usages_mois over its circonscriptions, for the académie's page and
-- its trend (at national scale usages_mois has some 1,400 circonscriptions a month: a
-- twelve-month trend summed from it is too slow for a page). Kept equal to those sums by
-- triggers on usages_mois (the engine files of this version), whatever writes it.
CREATE TABLE usages_mois_departements (
    departement_code      TEXT NOT NULL,
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
    PRIMARY KEY (departement_code, mois, profil)
);
CREATE INDEX usages_mois_departements_mois ON usages_mois_departements (mois, departement_code);
INSERT INTO usages_mois_departements (departement_code, mois, profil, ecoles, comptes_charges, comptes_actives,
    connexions, visiteurs, activation_charges, activation_actives, activite_actives, activite_visiteurs)
SELECT departement_code, mois, profil, SUM(ecoles), SUM(comptes_charges), SUM(comptes_actives), SUM(connexions),
    SUM(visiteurs), SUM(activation_charges), SUM(activation_actives), SUM(activite_actives), SUM(activite_visiteurs)
FROM usages_mois GROUP BY departement_code, mois, profil;
