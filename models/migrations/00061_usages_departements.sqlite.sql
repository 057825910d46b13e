-- The triggers keeping usages_mois_departements the sums of usages_mois (SQLite). A row of
-- a département whose écoles all went (ecoles 0) is removed. The rows of usages_mois are
-- replaced (deleted, inserted), never updated: an update is refused.

-- statement
CREATE TRIGGER usages_mois_departements_insert AFTER INSERT ON usages_mois BEGIN
    INSERT INTO usages_mois_departements (departement_code, mois, profil, ecoles, comptes_charges, comptes_actives,
        connexions, visiteurs, activation_charges, activation_actives, activite_actives, activite_visiteurs)
    VALUES (new.departement_code, new.mois, new.profil, new.ecoles, new.comptes_charges, new.comptes_actives,
        new.connexions, new.visiteurs, new.activation_charges, new.activation_actives, new.activite_actives, new.activite_visiteurs)
    ON CONFLICT (departement_code, mois, profil) DO UPDATE SET ecoles = ecoles + excluded.ecoles,
        comptes_charges = comptes_charges + excluded.comptes_charges, comptes_actives = comptes_actives + excluded.comptes_actives,
        connexions = connexions + excluded.connexions, visiteurs = visiteurs + excluded.visiteurs,
        activation_charges = activation_charges + excluded.activation_charges,
        activation_actives = activation_actives + excluded.activation_actives,
        activite_actives = activite_actives + excluded.activite_actives,
        activite_visiteurs = activite_visiteurs + excluded.activite_visiteurs;
END;
-- statement
CREATE TRIGGER usages_mois_departements_delete AFTER DELETE ON usages_mois BEGIN
    UPDATE usages_mois_departements SET ecoles = ecoles - old.ecoles,
        comptes_charges = comptes_charges - old.comptes_charges, comptes_actives = comptes_actives - old.comptes_actives,
        connexions = connexions - old.connexions, visiteurs = visiteurs - old.visiteurs,
        activation_charges = activation_charges - old.activation_charges,
        activation_actives = activation_actives - old.activation_actives,
        activite_actives = activite_actives - old.activite_actives,
        activite_visiteurs = activite_visiteurs - old.activite_visiteurs
    WHERE departement_code = old.departement_code AND mois = old.mois AND profil = old.profil;
    DELETE FROM usages_mois_departements
    WHERE departement_code = old.departement_code AND mois = old.mois AND profil = old.profil AND ecoles <= 0;
END;
-- statement
CREATE TRIGGER usages_mois_departements_update BEFORE UPDATE ON usages_mois BEGIN
    SELECT RAISE(ABORT, 'usages_mois : remplacer les lignes (DELETE puis INSERT), ne pas les modifier');
END;
