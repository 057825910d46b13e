// Pilotage ENT 1D — comportements htmx, sans gestionnaire inline (compatible CSP).
(function () {
  "use strict";
  var htmx = window.htmx;
  if (!htmx) return;
  // 400 et 422 (saisie invalide) : le fragment HTML renvoyé remplace la cible comme un succès.
  // Autres 4xx et 5xx : rien n'est échangé dans la cible ; htmx:responseError prend le relais.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "^(400|422)$", swap: true },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false }
  ];
  var SAISIE = "input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]),textarea";
  function zoneErreur() { return document.getElementById("erreur-requete"); }
  function afficherErreur(html) { var z = zoneErreur(); if (z) htmx.swap(z, html, { swapStyle: "innerHTML" }); }
  function messageGenerique(statut) {
    return '<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w"><p>La requête a échoué' +
      (statut ? " (erreur " + Number(statut) + ")" : "") + ". Veuillez réessayer.</p></div>";
  }
  // Après un échange : focus sur la légende (caption) du tableau mis à jour, pour les lecteurs d'écran,
  // sauf pendant une saisie dans un champ texte (filtre « à la frappe »).
  document.addEventListener("htmx:afterSwap", function (evt) {
    var zone = evt.target, actif = document.activeElement;
    if (!(zone instanceof Element) || zone === zoneErreur()) return;
    var caption = (zone.closest("table") || zone).querySelector("caption");
    if (!caption || (actif && actif.isConnected && actif.matches(SAISIE))) return;
    caption.setAttribute("tabindex", "-1");
    caption.focus();
  });
  document.addEventListener("htmx:beforeRequest", function () { var z = zoneErreur(); if (z) z.replaceChildren(); });
  // Erreur non échangée : fragment HTML d'erreur du serveur dans #erreur-requete, sinon message générique.
  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr, type = xhr.getResponseHeader("Content-Type") || "";
    afficherErreur(type.indexOf("text/html") === 0 && xhr.responseText ? xhr.responseText : messageGenerique(xhr.status));
  });
  document.addEventListener("htmx:sendError", function () { afficherErreur(messageGenerique(0)); });

  // Ce qui ne sert qu'avec JavaScript ([data-js], caché par défaut) remplace ce qui sert sans
  // lui ([data-nojs]) : case « Tout sélectionner » plutôt que bouton qui recharge la page.
  htmx.onLoad(function (racine) {
    if (!(racine instanceof Element)) return;
    racine.querySelectorAll("[data-js]").forEach(function (el) { el.hidden = false; });
    racine.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
    racine.querySelectorAll("[data-check-all]").forEach(majToutCocher);
  });

  // Champs qui dépendent d'un choix ([data-role-fields] nomme la liste du rôle) : seuls ceux
  // du rôle choisi ([data-roles]) restent affichés ; "" : aucun rôle choisi ; "*" : un rôle
  // sans champ à lui. htmx redemande ensuite au serveur les champs du nouveau rôle.
  function filtrerRoles(zone) {
    var liste = document.getElementById(zone.getAttribute("data-role-fields"));
    if (!liste) return;
    var role = liste.value, elements = zone.querySelectorAll("[data-roles]");
    var aDesChamps = Array.prototype.some.call(elements, function (el) { return el.getAttribute("data-roles") === role && el.tagName !== "P"; });
    elements.forEach(function (el) {
      var r = el.getAttribute("data-roles");
      el.hidden = r === "*" ? (role === "" || aDesChamps) : r !== role;
    });
  }
  htmx.onLoad(function (racine) {
    if (racine instanceof Element) racine.querySelectorAll("[data-role-fields]").forEach(filtrerRoles);
  });
  document.addEventListener("change", function (evt) {
    var t = evt.target;
    if (!(t instanceof HTMLSelectElement) || !t.id) return;
    document.querySelectorAll('[data-role-fields="' + t.id + '"]').forEach(filtrerRoles);
  });

  // « Tout sélectionner » : la case [data-check-all] coche les cases du conteneur qu'elle nomme.
  function casesDe(tout) {
    var zone = document.getElementById(tout.getAttribute("data-check-all"));
    return zone ? Array.prototype.filter.call(zone.querySelectorAll("input[type=checkbox]"), function (b) { return b !== tout; }) : [];
  }
  function majToutCocher(tout) {
    var cases = casesDe(tout), cochees = cases.filter(function (b) { return b.checked; }).length;
    tout.checked = cases.length > 0 && cochees === cases.length;
    tout.indeterminate = cochees > 0 && cochees < cases.length;
  }
  document.addEventListener("change", function (evt) {
    var t = evt.target;
    if (!(t instanceof HTMLInputElement) || t.type !== "checkbox") return;
    if (t.hasAttribute("data-check-all")) {
      casesDe(t).forEach(function (b) { b.checked = t.checked; });
      return;
    }
    document.querySelectorAll("[data-check-all]").forEach(function (tout) {
      if (casesDe(tout).indexOf(t) >= 0) majToutCocher(tout);
    });
  });

  // Choisir un lieu par son nom (partials/places.html) : les suggestions arrivent par htmx ;
  // un clic ou Entrée choisit, les flèches parcourent, Échap ferme. Dans une liste de lieux,
  // le lieu choisi s'ajoute à la liste, et « Retirer » l'en retire, sans recharger la page.
  function groupeDe(el) { return el.closest("[data-suggest]"); }
  function champDe(groupe) { return groupe.querySelector("input[type=text]"); }
  function annoncer(groupe, texte) {
    var s = groupe && groupe.querySelector("[data-suggestions-status]");
    if (s) s.textContent = texte;
  }
  function fermer(groupe) {
    var l = groupe.querySelector("[data-suggestions]");
    if (l) l.replaceChildren();
  }
  function suggestions(groupe) { return Array.prototype.slice.call(groupe.querySelectorAll("[data-suggestion]")); }
  document.addEventListener("htmx:afterSwap", function (evt) {
    var zone = evt.target;
    if (!(zone instanceof Element) || !zone.hasAttribute("data-suggestions")) return;
    var n = zone.querySelectorAll("[data-suggestion]").length;
    annoncer(groupeDe(zone), n === 0 ? "Aucune suggestion." :
      n + (n > 1 ? " suggestions" : " suggestion") + " : flèche bas pour les parcourir, Entrée pour choisir, Échap pour fermer.");
  });
  function ajouterLieu(liste, code, libelle) {
    var groupe = liste.querySelector("[data-suggest]");
    var deja = Array.prototype.some.call(liste.querySelectorAll("[data-places] input[type=hidden]"), function (i) { return i.value === code; });
    if (deja) { annoncer(groupe, libelle + " est déjà dans la liste."); return; }
    var modele = liste.querySelector("template[data-place-template]");
    var ul = liste.querySelector(".lieux__liste");
    if (!modele || !ul) return;
    var li = modele.content.firstElementChild.cloneNode(true);
    li.querySelectorAll("[data-place-code]").forEach(function (el) { el.value = code; });
    li.querySelectorAll("[data-place-label]").forEach(function (el) { el.textContent = (el.classList.contains("fr-sr-only") ? " " : "") + libelle; });
    li.querySelectorAll("[data-place-for]").forEach(function (el) { el.htmlFor = el.getAttribute("data-place-for") + code; });
    li.querySelectorAll("[data-place-id]").forEach(function (el) { el.id = el.getAttribute("data-place-id") + code; });
    li.querySelectorAll("[data-place-name]").forEach(function (el) { el.name = el.getAttribute("data-place-name") + code; });
    li.querySelectorAll("[data-place-value]").forEach(function (el) { el.value = el.getAttribute("data-place-value") + code; });
    ul.appendChild(li);
    var vide = liste.querySelector("[data-places-empty]");
    if (vide) vide.hidden = true;
    annoncer(groupe, "Ajout : " + libelle + ".");
  }
  function choisir(bouton) {
    var groupe = groupeDe(bouton), champ = champDe(groupe), liste = groupe.closest("[data-places]");
    if (liste) {
      ajouterLieu(liste, bouton.getAttribute("data-code"), bouton.getAttribute("data-suggestion"));
      champ.value = "";
    } else {
      champ.value = bouton.getAttribute("data-suggestion");
      annoncer(groupe, "Choix : " + champ.value + ".");
    }
    fermer(groupe);
    champ.focus();
    champ.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function retirer(bouton) {
    var liste = bouton.closest("[data-places]"), li = bouton.closest("li");
    if (!liste || !li) return;
    var nom = li.querySelector(".lieux__nom"), libelle = nom ? nom.textContent : "";
    li.remove();
    var vide = liste.querySelector("[data-places-empty]");
    if (vide) vide.hidden = liste.querySelectorAll(".lieux__liste li").length > 0;
    var groupe = liste.querySelector("[data-suggest]");
    annoncer(groupe, "Retrait : " + libelle + ".");
    champDe(groupe).focus();
  }
  document.addEventListener("click", function (evt) {
    var t = evt.target instanceof Element ? evt.target : null;
    if (!t) return;
    var s = t.closest("[data-suggestion]");
    if (s) { evt.preventDefault(); choisir(s); return; }
    var r = t.closest("[data-remove-place]");
    if (r && r.closest("[data-places]")) { evt.preventDefault(); retirer(r); }
  });
  document.addEventListener("keydown", function (evt) {
    var t = evt.target instanceof Element ? evt.target : null;
    var groupe = t && groupeDe(t);
    if (!groupe) return;
    var liste = suggestions(groupe), i = liste.indexOf(t), champ = champDe(groupe);
    if (evt.key === "Escape" && (liste.length > 0 || i >= 0)) {
      evt.preventDefault(); fermer(groupe); annoncer(groupe, ""); champ.focus();
    } else if (evt.key === "ArrowDown" && liste.length > 0) {
      evt.preventDefault(); liste[Math.min(i + 1, liste.length - 1)].focus();
    } else if (evt.key === "ArrowUp" && i >= 0) {
      evt.preventDefault(); (i === 0 ? champ : liste[i - 1]).focus();
    } else if (evt.key === "Enter" && t === champ && champ.value.trim() !== "" && groupe.closest("[data-places]")) {
      // Dans une liste, Entrée ajoute le lieu saisi (le serveur le lit), au lieu d'enregistrer.
      var ajout = groupe.closest("[data-places]").querySelector("[data-add-place]");
      if (ajout) { evt.preventDefault(); ajout.click(); }
    }
  });
  // Les suggestions d'un champ se ferment quand on le quitte.
  document.addEventListener("focusin", function (evt) {
    document.querySelectorAll("[data-suggest]").forEach(function (groupe) {
      if (!(evt.target instanceof Node) || !groupe.contains(evt.target)) fermer(groupe);
    });
  });
})();
