-- The trigger keeping usages_mois_departements the sums of usages_mois (PostgreSQL). A row
-- of a département whose écoles all went (ecoles 0) is removed. The rows of usages_mois are
-- replaced (deleted, inserted), never updated: an update is refused.

-- statement
CREATE FUNCTION usages_mois_departements_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'usages_mois : remplacer les lignes (DELETE puis INSERT), ne pas les modifier';
    END IF;
    IF TG_OP = 'DELETE' THEN
        UPDATE usages_mois_departements SET ecoles = ecoles - OLD.ecoles,
            comptes_charges = comptes_charges - OLD.comptes_charges, comptes_actives = comptes_actives - OLD.comptes_actives,
            connexions = connexions - OLD.connexions, visiteurs = visiteurs - OLD.visiteurs,
            activation_charges = activation_charges - OLD.activation_charges,
            activation_actives = activation_actives - OLD.activation_actives,
            activite_actives = activite_actives - OLD.activite_actives,
            activite_visiteurs = activite_visiteurs - OLD.activite_visiteurs
        WHERE departement_code = OLD.departement_code AND mois = OLD.mois AND profil = OLD.profil;
        DELETE FROM usages_mois_departements
        WHERE departement_code = OLD.departement_code AND mois = OLD.mois AND profil = OLD.profil AND ecoles <= 0;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO usages_mois_departements AS d (departement_code, mois, profil, ecoles, comptes_charges, comptes_actives,
            connexions, visiteurs, activation_charges, activation_actives, activite_actives, activite_visiteurs)
        VALUES (NEW.departement_code, NEW.mois, NEW.profil, NEW.ecoles, NEW.comptes_charges, NEW.comptes_actives,
            NEW.connexions, NEW.visiteurs, NEW.activation_charges, NEW.activation_actives, NEW.activite_actives, NEW.activite_visiteurs)
        ON CONFLICT (departement_code, mois, profil) DO UPDATE SET ecoles = d.ecoles + EXCLUDED.ecoles,
            comptes_charges = d.comptes_charges + EXCLUDED.comptes_charges, comptes_actives = d.comptes_actives + EXCLUDED.comptes_actives,
            connexions = d.connexions + EXCLUDED.connexions, visiteurs = d.visiteurs + EXCLUDED.visiteurs,
            activation_charges = d.activation_charges + EXCLUDED.activation_charges,
            activation_actives = d.activation_actives + EXCLUDED.activation_actives,
            activite_actives = d.activite_actives + EXCLUDED.activite_actives,
            activite_visiteurs = d.activite_visiteurs + EXCLUDED.activite_visiteurs;
    END IF;
    RETURN NULL;
END
$$;
-- statement
CREATE TRIGGER usages_mois_departements_sync AFTER INSERT OR DELETE ON usages_mois
    FOR EACH ROW EXECUTE FUNCTION usages_mois_departements_sync();
-- statement
CREATE TRIGGER usages_mois_departements_update BEFORE UPDATE ON usages_mois
    FOR EACH ROW EXECUTE FUNCTION usages_mois_departements_sync();
