"""French texts of the demo calls, in Markdown, taken from the seeds (../shared/seeds/):
000 (Cerema support offer, 2022), 001 (AMI Quartiers durables PACA, 2017) and 004 (17th national
session of the Ateliers des territoires). Data, not code: kept apart from demo.py's logic."""

# --- Cerema support offer (seed 000) ----------------------------------------------------------

CEREMA_PROGRAMME = (
    "Partenaire de la démarche ÉcoQuartier depuis sa création, notamment en contribuant aux "
    "expertises du label et à la formation, le Cerema propose une offre d'ingénierie "
    "« sur-mesure » au cœur des projets, dans le cadre d'une convention signée avec le "
    "Ministère de la Transition écologique."
)

CEREMA_SUMMARY = (
    "Le Cerema propose un accompagnement stratégique et opérationnel sur trois ans d'une "
    "quinzaine de territoires qui ont l'ambition de réaliser un projet d'ÉcoQuartier : "
    "36 jours d'accompagnement sur 3 ans."
)

CEREMA_PRESENTATION = """\
**Un accompagnement « sur-mesure » et une approche intégrée du projet d'aménagement durable.**

La démarche ÉcoQuartier vise à encourager la réalisation d'opérations exemplaires d'aménagement \
durable portées par les collectivités territoriales engagées. Partenaire de la démarche \
ÉcoQuartier depuis sa création, notamment en contribuant aux expertises du label et à la \
formation, le Cerema amplifie son implication dans la démarche en proposant une nouvelle offre \
sur-mesure au cœur des projets en accompagnant une quinzaine de territoires pendant 3 ans.

Afin d'aider les porteurs de projets encore en phase amont à concevoir des opérations \
d'aménagement sobres, résilientes et inclusives en s'inscrivant dans une démarche de \
labellisation ÉcoQuartier, le Cerema a proposé une offre d'ingénierie « sur-mesure » en signant \
une convention avec le Ministère de la Transition écologique.

Cette mission d'appui est prévue sur 3 ans afin d'accompagner les acteurs sur la durée et \
permettre un impact significatif sur les ambitions du projet. Pour cela, le Cerema mobilisera \
toute son expertise pluridisciplinaire pour une approche intégrée à l'échelle du projet \
d'aménagement durable.
"""

CEREMA_SUPPORT = """\
Exemples d'accompagnement pour les collectivités, l'expertise pluridisciplinaire du Cerema à \
l'échelle de l'aménagement opérationnel :

- accompagnement de la collectivité dans les phases amont, (en)cadrant la mise en projet et sa \
relation aux aménageurs, sous forme de conseils et de bilans des attendus : cadrage d'AMI, \
concession, mandat ou marché d'aménagement, élaboration d'un plan guide, optimisation d'un bilan \
d'aménagement, etc. ;
- production d'indicateurs de durabilité, adaptés au contexte territorial et aux ambitions du \
projet ;
- élaboration de notes de conseil et d'expertise au fil de l'eau pour guider la collectivité \
auprès des bureaux d'études, AMO et aménageurs : mobilité, urbanisme, biodiversité et sobriété \
foncière, risques, infrastructures et ouvrages d'art, énergie/climat, etc. ;
- production d'une ou plusieurs expertises « à blanc » sur le référentiel ÉcoQuartier pendant la \
mise en projet pour évaluer les éventuels écarts (et propositions pour la réduction de ceux-ci) ;
- conseil et accompagnement sur la participation citoyenne et la co-construction tout au long du \
projet, axe majeur de la réussite d'un ÉcoQuartier.

Le détail de l'accompagnement sera adapté et discuté au cas par cas avec chaque candidat en \
fonction de ses besoins. Il sera décrit dans une convention signée pour chaque projet lauréat \
entre la collectivité bénéficiaire, l'État représenté par le préfet de département ou son \
représentant et le Cerema.
"""

CEREMA_ELIGIBILITY = """\
Ce partenariat avec le Cerema a vocation à accompagner en priorité les collectivités \
territoriales compétentes en matière d'aménagement. Il peut être ouvert à d'autres porteurs de \
projets (opérateurs, SPL, délégataires des collectivités, etc.) lorsqu'ils répondent aux mêmes \
critères d'engagement vers le label ÉcoQuartier et sont en adéquation avec le projet territorial \
de la collectivité.

À noter qu'en 2022, les projets concernés par la thématique des entrées de villes et \
périphéries urbaines (zones pavillonnaires, zones d'activités économiques) seront privilégiés, \
sans que cela soit exclusif.
"""

# --- AMI Quartiers durables PACA (seed 001) ---------------------------------------------------

PACA_PROGRAMME = (
    "En 2017, la Région Provence-Alpes-Côte d'Azur, la DREAL PACA et le Cerema se sont associés "
    "pour lancer un appel à manifestation d'intérêt Quartiers durables."
)

PACA_SUMMARY = (
    "Valoriser des projets d'aménagement de renouvellement urbain, de reconversion ou de "
    "requalification, y compris dans les « dents creuses », en cohérence avec la démarche "
    "nationale ÉcoQuartier : accompagnement technique et aide financière pour les collectivités "
    "lauréates, y compris les petites communes."
)

PACA_PRESENTATION = """\
En 2017, la Région Provence-Alpes-Côte d'Azur, la DREAL PACA et le Cerema se sont associés pour \
lancer un Appel à Manifestation d'Intérêt Quartiers Durables. Son objectif est la valorisation \
de projets d'aménagement visant au renouvellement urbain, à la reconversion ou la \
requalification y compris dans les « dents creuses ».

Il s'agit de sélectionner des projets en cohérence avec la démarche nationale ÉcoQuartier, afin \
de susciter les initiatives et d'intensifier la production de quartiers durables en \
Provence-Alpes-Côte d'Azur.
"""

PACA_OBJECTIVES = """\
- Encourager la mise en œuvre de projets d'aménagement de quartiers durables ;
- offrir un accompagnement technique et une aide financière aux collectivités lauréates ;
- faciliter la sortie opérationnelle des projets, en particulier pour les collectivités qui \
disposent de peu d'ingénierie en interne.
"""

PACA_STEERING = (
    "Dispositif co-piloté par la Région Provence-Alpes-Côte d'Azur, la DREAL PACA et le Cerema."
)

PACA_SUPPORT = """\
Accompagnement technique individuel de chaque projet d'aménagement par les différents \
partenaires, aux étapes clés du projet :

- conseil pour l'identification du foncier disponible ;
- aide à la définition du programme d'aménagement ;
- assistance pour la rédaction des cahiers des charges et le recrutement des prestataires ;
- accompagnement lors des phases opérationnelles ;
- conseils et expertises techniques sur des thématiques spécifiques (énergie, risques, \
programmation, qualité de la construction…), toujours dans une optique de durabilité.
"""

PACA_FUNDING = "Aide financière pour le lancement des études pré-opérationnelles des lauréats."

PACA_ELIGIBILITY = """\
Collectivités de la région Provence-Alpes-Côte d'Azur portant un projet d'aménagement de \
renouvellement urbain, de reconversion ou de requalification. Les petites communes sont \
encouragées à candidater : parmi les cinq lauréats de 2017, quatre sont des communes des \
Alpes-de-Haute-Provence de moins de 4 000 habitants (Aubenas-les-Alpes, Sainte-Tulle, \
Reillanne et Saint-Maime), aux côtés de la Communauté d'agglomération de Sophia Antipolis.
"""

# --- 17th national session of the Ateliers des territoires (seed 004) ------------------------

ATELIER_PROGRAMME = (
    "Chaque session nationale des Ateliers des territoires sélectionne 5 à 6 territoires ; "
    "chacun bénéficie d'une équipe pluridisciplinaire et d'une série d'ateliers sur 10 à 12 mois, "
    "jusqu'à une feuille de route."
)

ATELIER_SUMMARY = (
    "17e session nationale des Ateliers des territoires : « Aménager les territoires "
    "productifs, sobres et créateurs de valeurs ». Un AMI pour 5 à 6 territoires accompagnés par "
    "une équipe pluridisciplinaire d'environ 150 000 €, pris en charge à 100 % par la DGALN."
)

ATELIER_PRESENTATION = """\
**Présentation de l'appel à manifestation d'intérêt**

La 17e session nationale des Ateliers des Territoires porte sur la thématique : « Aménager les \
territoires productifs, sobres et créateurs de valeurs ». Elle fait l'objet d'un appel à \
manifestation d'intérêt (AMI) qui traite des interactions positives à réinventer entre \
aménagement et activités productives, entre développement et création de valeurs, dans le \
nouvel écosystème territorial qu'instaure la transition écologique, au plus près des \
territoires, en particulier les plus fragiles, aussi bien en zone rurale que périurbaine ou \
urbaine, en France hexagonale comme dans les Outre-mer.

La transition écologique est envisagée dans son potentiel transformateur du modèle de \
développement territorial, créateur de valeurs matérielles (biens et services destinés aux \
consommateurs ou aux entreprises) mais aussi immatérielles (bien-être, santé, connaissances, \
culture, etc.).

Les projets lauréats de l'AMI ont vocation à devenir des démonstrateurs pour les autres \
territoires confrontés aux mêmes problématiques, avec une triple dimension intégratrice :

- exploratoire et opérationnelle : conception de projets innovants et à forte valeur ajoutée ;
- exemplaire et réplicable : qualité et lisibilité du processus de coconstruction et des \
stratégies adressées ;
- pédagogique et interpellante : apprentissage collectif et formulation de propositions \
constructives par rapport aux difficultés rencontrées.
"""

ATELIER_AMBITIONS = """\
L'Atelier des territoires cherche à concilier économie et qualité urbaine et territoriale en \
tirant parti de l'identité et de la culture locale dans une perspective ménageant et valorisant \
les ressources, la fonctionnalité des sols, les paysages, et en cherchant autant que possible \
des alternatives au modèle du zoning sur lequel repose majoritairement l'urbanisme jusqu'à \
présent.

Tous les secteurs de l'économie sont concernés à travers :

- les mutations auxquelles ils sont soumis (obsolescence des zones d'activité, délocalisations \
industrielles, vacance des quartiers d'affaire, essor du e-commerce) ;
- les dynamiques encouragées dans les territoires qui répondent à de nouvelles attentes locales \
(relocalisation de l'industrie verte, revitalisation des commerces et services de proximité, \
coopération et mutualisation autour des communs) ;
- les visions politiques renouvelées sur les relations entre production, territoire et écologie \
(économie sociale et solidaire, écologie industrielle territoriale, économie symbiotique).

L'approche doit être globale pour aider tous les acteurs associés à aborder de manière \
systémique les sujets mais également formuler des propositions et faire démonstration.
"""

ATELIER_OBJECTIVES = """\
Les objectifs de l'AMI sont d'aider les territoires à dépasser les potentiels blocages qu'ils \
rencontrent et à innover à travers l'élaboration d'une feuille de route d'aménagement et de \
développement durables qui soit opérationnelle pour chacun des territoires accompagnés (de 5 à \
6).

Les collectivités locales œuvrent de longue date en matière de développement économique, \
accompagnées par les services de l'État (politiques d'attractivité et d'innovation, \
développement ou requalification de zones d'activités, recyclage de friches économiques, \
gestion prévisionnelle des emplois et des compétences, etc.). Il s'agit désormais d'inscrire \
ces stratégies et outils d'intervention publique dans le nouveau paradigme de la transition \
écologique et en particulier :

- expérimenter de nouveaux modèles de développement économique ;
- éclairer la planification et les stratégies aux différentes échelles pour organiser et poser \
les conditions d'un développement équilibré et résilient face aux crises sur les territoires ;
- interroger de manière prospective la création de valeurs en s'appuyant sur d'autres \
indicateurs de développement que ceux de l'économie classique.

Les sites lauréats de l'AMI font l'objet d'une capitalisation pilotée par la DGALN qui prend la \
forme d'un processus de suivi et d'une mise en réseau au niveau national, de séminaires et de \
publications à chaque étape de la démarche (défis et enjeux mis aux débats ; controverses, \
prospectives et atterrissage de la stratégie).
"""

ATELIER_STEERING = """\
Le pilotage local de la démarche est assuré par les services déconcentrés de l'État (DDT(M) ou \
DREAL) avec le cas échéant l'opérateur local de l'État (EPA, Agence de l'eau, etc.), en lien \
étroit avec la ou les collectivités concernées. Le pilotage implique de lancer et mettre en \
œuvre le marché subséquent de l'accord-cadre multi-attributaire de la DGALN, c'est-à-dire \
d'accompagner les collectivités et l'équipe pluridisciplinaire dans toutes les phases de \
l'Atelier (lancement, animation in situ, approfondissement). Les Ateliers lancés dans le cadre \
de la session nationale requièrent une forte mobilisation.
"""

ATELIER_FUNDING = """\
L'accompagnement par l'équipe pluridisciplinaire retenue, d'un montant d'environ 150 000 €, est \
pris en charge à 100 % par la DGALN. Les frais d'organisation des trois sessions d'ateliers \
(logistique et restauration) sont à la charge des co-porteurs de l'Atelier, principalement de la \
ou des collectivités.
"""

ATELIER_SUPPORT = """\
**Équipes**

Plusieurs groupements titulaires de l'accord-cadre multi-attributaire à marchés subséquents de \
la DGALN seront prochainement sélectionnés. Mis en concurrence pour chacun des Ateliers dans le \
cadre des marchés subséquents, les groupements formulent une offre d'accompagnement spécifique \
pour chaque territoire sélectionné dans le cadre de la session nationale. L'équipe est \
sélectionnée de manière collégiale par le service déconcentré qui pilote l'Atelier, le cas \
échéant avec l'opérateur de l'État associé, et la ou les collectivités concernées.
"""

ATELIER_SCHEDULE = """\
1. Ouverture et passation du marché subséquent au local
2. Séminaire national de lancement et séminaire de lancement in situ
3. Ateliers in situ n° 1 : établissement d'un diagnostic et des enjeux
4. Inter-ateliers in situ : approfondissement du sujet et préparation de la session d'ateliers \
à venir
5. Rendez-vous national des Ateliers n° 1 : échange entre pairs et avec des partenaires
6. Ateliers in situ n° 2 : définition d'une stratégie de territoire
7. Inter-ateliers in situ : approfondissement du sujet et préparation de la session d'ateliers \
à venir
8. Rendez-vous national des Ateliers n° 2 : échange entre pairs et avec des partenaires
9. Ateliers in situ n° 3 : élaboration d'une feuille de route
10. Inter-ateliers in situ : approfondissement du sujet et préparation de la session d'ateliers \
à venir
11. Séminaire de clôture in situ
12. Séminaire de clôture national
"""

ATELIER_DURATION = """\
- Durée totale : 10 à 12 mois
- Nombre de sessions d'ateliers : 3
- Durée des ateliers : 1 à 2 jours
"""

ATELIER_DELIVERABLES = """\
- Note de cadrage : méthodologie, calendrier
- Carnet de suivi : déroulé, compte-rendu, propositions
- Rapport final : synthèse et préconisations
- Feuille de route : objectifs, plan d'actions et de financement, calendrier
- Livret de capitalisation
"""

ATELIER_HOOKS = """\
Une série d'objets d'accroche ont été pré-identifiés. Ils se veulent la traduction spatiale \
concrète des enjeux mentionnés, et autant de situations auxquelles les collectivités pourront \
s'identifier afin de nourrir leur candidature. L'Atelier aborde la question des espaces \
économiques dans leur ensemble qui peuvent se distinguer selon leur localisation (isolé, ou en \
continuité voire intégré dans le tissu urbain), leur dynamique (implantation de nouvelles \
entreprises, projet d'extension, dévitalisation ou mutation économique, création d'une zone \
d'activité évolutive) ou le type d'activités concernées (artisanales, industrielles, agricoles, \
tertiaires en particulier commerces et services, artistiques).

Les territoires pourront développer leur candidature à partir d'un ou plusieurs de ces objets \
d'accroche en s'assurant du concours des acteurs qu'ils impliquent à commencer par les porteurs \
de projet (entreprise locale, aménageur, promoteur, propriétaire foncier, association, etc.), en \
les mettant en interaction dans le cadre réflexif et stratégique proposé par l'AMI.

Ces objets d'accroche peuvent être des héritages du passé à reconsidérer :

- implantation générique d'hypermarchés, d'entrepôts logistiques, de bureaux, etc. ;
- zone(s) d'activités à intensifier/requalifier, évoluant vers un modèle mutable ;
- friche(s) économique(s) à recycler pour maintenir une vocation économique ;
- maintien ou retour d'activités productives en ville ;
- présence d'entreprise(s) vétustes ou sur le déclin, ou en coexistence avec des zones \
habitées, générant des risques ou des nuisances ;
- valorisation de surfaces tertiaires inoccupées ;
- mutualisation ou insertion paysagère de locaux agricoles en mutation.

L'accroche peut aussi se faire à partir d'objets nouveaux à réinterroger par le projet :

- relocalisation d'un site industriel générant potentiellement des risques ou des nuisances ;
- recomposition de territoires et de leurs secteurs d'activité suite au recul du trait de côte ;
- projet d'implantation d'un data center ;
- projet d'un site de production d'énergie renouvelable ;
- locaux économiques informels (dark stores, dark kitchens, etc.) ;
- activités générées par l'ubérisation de l'économie ;
- création ou extension d'un ÉcoQuartier productif ;
- dynamique à développer sur de nouveaux axes à partir des programmes ou outils existants \
(Action Cœur de Ville, Petites villes de demain, Opération de revitalisation de territoire, \
etc.) ;
- stratégie logistique du dernier kilomètre, etc.
"""

ATELIER_APPLICATION = """\
Les dossiers de candidatures élaborés conjointement par les services déconcentrés de l'État \
(DREAL, DDT, DEAL…) avec les collectivités et les partenaires locaux (EPCI porteur de SCoT, \
chambre consulaire, conseil régional…) qui souhaitent s'engager dans la démarche, sont attendus \
pour le **17 juillet** au plus tard.

La transmission intermédiaire d'une **note d'intention** est attendue d'ici le **15 juin**. Elle \
servira de support à un entretien avec le bureau des stratégies territoriales de la DGALN pour \
vous accompagner dans la finalisation de la candidature.

Note d'intention et dossier de candidature doivent être transmis à l'adresse suivante : \
atelier-des-territoires.ad1.dhup.dgaln@developpement-durable.gouv.fr
"""

ATELIER_CONTACTS = """\
Retrouvez le document de cadrage de l'appel à manifestation d'intérêt et le dossier de \
candidature sur la page de la session nationale : \
https://www.atelier-territoires.logement.gouv.fr/ateliers-amenager-des-territoires-productifs-a229.html

- Pour les collectivités : contacter la DDT(M) de votre département ou la DREAL de votre région.
- Pour les DDT(M) ou les DREAL : contacter le bureau AD1 Stratégies territoriales de la DHUP, \
Direction générale de l'aménagement, du logement et de la nature (DGALN) : \
atelier-des-territoires.ad1.dhup.dgaln@developpement-durable.gouv.fr
"""

# --- Annual labelling campaign (SPEC §3 F-40 … F-42) ------------------------------------------

LABEL_PROGRAMME = (
    "Le label ÉcoQuartier distingue, étape par étape, les projets d'aménagement durable qui "
    "respectent les 20 engagements du référentiel ÉcoQuartier."
)

LABEL_SUMMARY = (
    "Campagne annuelle du label ÉcoQuartier : les projets engagés candidatent à l'étape "
    "« Livré » ou « Vécu » ; deux experts visitent chaque opération, la commission régionale "
    "propose et la commission nationale décerne le label."
)

LABEL_PRESENTATION = """\
Le label ÉcoQuartier est attribué à l'issue d'une campagne annuelle. Chaque dossier fait \
l'objet d'une expertise par deux experts (un coordinateur et un second expert) qui visitent le \
site et évaluent le projet au regard des 20 engagements du référentiel.
"""

LABEL_SCHEDULE = """\
1. Dépôt des dossiers de candidature
2. Expertises et visites de site
3. Commissions régionales (octobre) : proposition du label, ajournement avec une offre \
d'accompagnement, ou non-proposition
4. Commission nationale : attribution du label
"""

LABEL_ELIGIBILITY = (
    "Projets ayant signé la charte ÉcoQuartier, portés par une collectivité ou son aménageur."
)

LABEL_APPLICATION = (
    "Le dossier est préparé avec la DDT(M) ou la DREAL, qui accompagne la collectivité et "
    "présente le projet en commission régionale."
)


def synthetic_presentation(subject, word, place):
    return (
        f"{subject} : cet appel soutient les collectivités du territoire « {place} » qui "
        f"engagent un projet d'aménagement durable sur le thème {word}, dans l'esprit de la "
        "démarche ÉcoQuartier.\n\n"
        "- diagnostic partagé et programmation ;\n"
        "- appui à la participation des habitants ;\n"
        "- suivi d'indicateurs de durabilité."
    )
