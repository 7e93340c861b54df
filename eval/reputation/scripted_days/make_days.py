#!/usr/bin/env python3
"""Generate 10 scripted community days (event-log JSONL) for the reputation / bad-buzz evaluation.

Written blind (without looking at the detector). Deterministic: fixed seeds, hand-written pools.
Run:  python3 make_days.py   (writes day01.jsonl ... day10.jsonl and labels.json next to this file)

Fictional brand: Voltaro (electric scooters). Products: Voltaro S1, Voltaro Max, Voltaro Mini,
app Voltaro Ride. Competitor: Zipwheel. Communities: a Discord server (mostly French) and a
Telegram group (mostly English).
"""
from __future__ import annotations

import json
import math
import random
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent

DISCORD = "discord:1001"
TELEGRAM = "telegram:-1002"
CH_GENERAL = "discord:2001"   # #general / général
CH_SAV = "discord:2002"       # #aide-sav (help / support)
CH_RIDES = "discord:2003"     # #balades (rides, photos)
TG_CH = "telegram:-1002"      # the Telegram group is its own channel

FIRST_DATE = datetime(2026, 10, 5, tzinfo=timezone.utc)
DAY_START_H, DAY_END_H = 8, 23

# --------------------------------------------------------------------------------------------
# Slot fillers
# --------------------------------------------------------------------------------------------
SLOTS = {
    "brand": {"fr": ["Voltaro"] * 8 + ["voltaro"] * 4 + ["VOLTARO", "Voltarro", "voltaro"],
              "en": ["Voltaro"] * 8 + ["voltaro"] * 4 + ["VOLTARO", "Voltarro", "Voltaro"]},
    "s1": {"fr": ["S1", "S1", "Voltaro S1", "s1", "voltaro s1"],
           "en": ["S1", "S1", "Voltaro S1", "s1", "voltaro S1"]},
    "max": {"fr": ["Max", "Max", "Voltaro Max", "max", "VMax"],
            "en": ["Max", "Voltaro Max", "Voltaro Max", "max", "V-Max"]},
    "mini": {"fr": ["Mini", "Voltaro Mini", "mini"], "en": ["Mini", "Voltaro Mini", "mini"]},
    "app": {"fr": ["l'appli", "l'appli", "l'app Voltaro Ride", "Voltaro Ride", "l'appli Ride", "l'app"],
            "en": ["the app", "the app", "Voltaro Ride", "the Ride app", "the voltaro app", "VoltaroRide"]},
    "comp": {"fr": ["Zipwheel", "Zipwheel", "zipwheel", "Zip Wheel", "zipweel", "ZW"],
             "en": ["Zipwheel", "Zipwheel", "zipwheel", "Zip Wheel", "zipweel", "ZipWheel"]},
    "place": {"fr": ["les quais", "le canal", "la Croix-Rousse", "Bordeaux centre", "le parc de la Tête d'Or",
                     "Nantes", "l'île de Nantes", "la Part-Dieu", "Montreuil", "les Buttes-Chaumont",
                     "la coulée verte", "Villeurbanne", "le Vieux-Port", "Lille", "Toulouse", "la voie verte",
                     "Rennes", "Grenoble", "le bois de Vincennes", "Strasbourg"],
              "en": ["the river path", "downtown", "Brussels", "Lisbon", "the park", "the seafront", "Amsterdam",
                     "the old town", "Ghent", "Dublin", "the canal path", "Manchester", "Porto", "Berlin",
                     "the cycle highway", "Rotterdam", "Antwerp", "Leeds", "Bristol", "Montreal"]},
    "km": {"fr": [str(i) for i in range(4, 48)], "en": [str(i) for i in range(4, 48)]},
    "n": {"fr": [str(i) for i in range(2, 9)], "en": [str(i) for i in range(2, 9)]},
    "pct": {"fr": [str(i) for i in range(55, 99)], "en": [str(i) for i in range(55, 99)]},
    "day": {"fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
            "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]},
    "order": {"fr": [f"VLT-{i}" for i in range(204311, 204399, 7)], "en": [f"VLT-{i}" for i in range(204311, 204399, 7)]},
}

EMOJI = {
    "happy": ["😄", "😁", "🙂", "😎", "🔥", "👌", "💪", "🛴", "⚡", "😍", "🙌", "👍"],
    "laugh": ["😂", "🤣", "😆", "💀", "lol", "mdr", "xD"],
    "meh": ["🤷", "😅", "🙃", "😐", "🫠", "…"],
    "sad": ["😕", "😞", "😢", "😩", "🥲"],
    "angry": ["😡", "🤬", "😤", "👎", "🙄", "💢", "!!!"],
    "worry": ["😨", "😱", "😬", "😟", "🫣", "⚠️"],
}

def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


BRAND_RE = re.compile(r"oltar|ipw|ipweel|Ride|S1|Max|Mini|VLT", re.I)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or BRAND_RE.search(word) or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.75:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def stylize(text: str, lang: str, mood: str, rng: random.Random, shouty: bool = False) -> str:
    """Chat-style noise: case, accents, typos, emoji, punctuation. Never touches the meaning."""
    if lang == "fr" and rng.random() < 0.3:
        text = strip_accents(text)
    if shouty and rng.random() < 0.35:
        text = text.upper()
    r = rng.random()
    if text.isupper():
        pass
    elif r < 0.25:
        text = text[:1].lower() + text[1:]
    elif r < 0.33 and not re.search(r"https?://", text):
        text = text.lower()
    if rng.random() < 0.08:
        words = text.split(" ")
        j = rng.randrange(len(words))
        words[j] = typo(words[j], rng)
        text = " ".join(words)
    if rng.random() < 0.18 and text[-1:] in ".!":
        text = text[:-1]
    if mood and rng.random() < 0.22 and not re.search(r"[\U0001F300-\U0001FAFF]", text):
        text = text + " " + rng.choice(EMOJI[mood])
    return text


def fill(template: str, lang: str, rng: random.Random, extra: dict | None = None) -> str:
    def rep(m):
        key = m.group(1)
        if extra and key in extra:
            return extra[key]
        return rng.choice(SLOTS[key][lang])
    return re.sub(r"\{(\w+)\}", rep, template)


# --------------------------------------------------------------------------------------------
# Baseline pools: {category: {lang: {"start": [...], "reply": [...], "mood": ...}}}
# --------------------------------------------------------------------------------------------
B = {}

B["greet"] = {
    "fr": {"mood": "happy", "start": [
        "Salut tout le monde", "Bonjour à tous !", "yo la team", "Hello hello", "Bien le bonjour 🛴",
        "Coucou les riders", "Salut, nouveau ici, je viens de rejoindre le serveur",
        "wesh bien ou quoi", "Bonjour ! Premier jour de taf en trott aujourd'hui",
        "Re !", "Bonsoir la compagnie", "Salut salut, quelqu'un de Lyon ici ?",
        "hello, je lurk depuis des semaines, je me lance enfin", "Bon mercredi à tous",
        "Bonjour, il fait un froid de canard ce matin", "yo, ça roule ?", "Salut les amis ✌️",
        "coucou, qqn est réveillé ?", "Bonjour bonjour, café + trott, la vie est belle",
        "Salut à tous, petit nouveau de Nantes", "hey", "Salut, on est combien de Bordelais ici ?"],
        "reply": [
        "Salut !", "yo", "Bienvenue 👋", "Bienvenue parmi nous !", "hello !", "Salut, bien et toi ?",
        "Bienvenue, tu roules avec quoi ?", "Coucou 🙂", "Bonjour !", "yo ça va tranquille",
        "Présent ✋", "Bienvenue, lis le salon #règles et fais comme chez toi",
        "moi je suis de Villeurbanne", "Salut, bon courage pour le froid", "Bonne journée à toi",
        "wesh", "Bienvenue l'ami", "Re", "salut la team"]},
    "en": {"mood": "happy", "start": [
        "Morning everyone", "Hey all 👋", "good morning scooter gang", "Hi, new here!",
        "Hello from Lisbon", "sup", "Morning! coffee and a quick ride before work",
        "hey guys, just joined", "Good evening folks", "Anyone from Amsterdam in here?",
        "hiya", "Happy friday people", "hey hey", "Hello! long time lurker first time poster",
        "gm", "Evening all, what a day", "Hi everyone, greetings from Dublin ☔"],
        "reply": [
        "welcome!", "hey 👋", "morning!", "Welcome aboard", "hi there", "gm", "Welcome, what do you ride?",
        "sup", "hey, welcome to the group", "Amsterdam here 🙋", "evening!", "heyy",
        "welcome mate", "Happy friday!", "o/"]},
}

B["ride"] = {
    "fr": {"mood": "happy", "start": [
        "Petite balade de {km} km ce matin du côté de {place}, que du bonheur",
        "Maison → boulot en 20 min par {place}, imbattable",
        "Qui est chaud pour une sortie samedi vers {place} ?",
        "Photo de ma trott au coucher du soleil sur {place} 📸",
        "Sortie nocturne hier soir, {km} km, la ville est vide c'est trop bien",
        "Premier trajet sous la pluie, j'ai survécu mdr",
        "Vous roulez en mode eco ou sport au quotidien ?",
        "Les pistes cyclables vers {place} sont refaites, ça glisse tout seul",
        "Les pavés du côté de {place} c'est l'enfer pour les poignets",
        "Bon je me suis fait klaxonner 3 fois ce matin, les gens sont à cran",
        "Record perso : {km} km sur une charge 💪",
        "Balade du dimanche organisée, départ 10h {place}, venez !",
        "Quelqu'un connaît un bon itinéraire sans trop de côtes vers {place} ?",
        "Trajet du matin : 0 bouchon, 0 stress. Les gens en voiture me regardaient jaloux",
        "Il y avait un monde fou vers {place} ce midi",
        "Ma {s1} a passé le cap des 3000 km aujourd'hui 🎉",
        "Petit tour avec ma fille sur sa {mini}, elle a adoré",
        "Les feuilles mortes sur la piste c'est une patinoire, faites gaffe",
        "Sortie groupe de ce soir annulée à cause de la pluie, on décale à jeudi",
        "J'ai enfin testé la grosse montée vers {place} avec la {max}, elle grimpe comme une chèvre"],
        "reply": [
        "Trop beau 😍", "Chaud pour samedi !", "Je passe souvent par là aussi", "Jaloux", "Belle photo",
        "Moi toujours en eco, sport ça bouffe trop de batterie", "Sport sinon c'est pas drôle",
        "Grave, les pavés c'est une horreur", "Bravo pour le record", "Partant !", "Je viens si il fait beau",
        "Fais gaffe aux feuilles oui, je me suis déjà vautré", "Ah les automobilistes... courage",
        "Quel itinéraire tu prends ?", "Je note pour dimanche", "3000 km propre 👏", "Ça donne envie",
        "Gants obligatoires à partir de maintenant", "Pas moi, je roule que quand il fait sec",
        "Elle a quel âge ta fille ?", "ouais la montée est raide mais ça passe", "Trop bien"]},
    "en": {"mood": "happy", "start": [
        "Did {km} km around {place} this morning, perfect weather",
        "Commute took 18 min today, the bus would've been 45",
        "Anyone up for a group ride around {place} on saturday?",
        "Sunset ride pic 📸 {place}",
        "Night ride yesterday, {km} km, empty streets, pure bliss",
        "First ride in the rain, not fun but doable",
        "Eco mode or sport mode for your daily commute?",
        "New bike lane in {place} is butter smooth",
        "Cobblestones around {place} are destroying my wrists",
        "Got cut off by a delivery van this morning, stay safe out there",
        "New personal best: {km} km on one charge",
        "Sunday group ride, meeting 10am at {place}, all welcome",
        "Any hill-free route suggestions towards {place}?",
        "My {s1} just hit 2000 miles 🎉",
        "Took the {max} up the big hill near {place}, didn't even slow down",
        "Wet leaves on the bike path = ice rink, careful folks"],
        "reply": [
        "nice!", "Beautiful shot", "I'm in for saturday", "Eco always, range anxiety is real",
        "sport mode or nothing 😎", "so jealous", "careful out there", "Which route do you take?",
        "congrats!", "count me in", "Cobbles are the worst", "Same here, drivers are crazy lately",
        "That's a lot of miles", "great pic", "Respect", "Yeah the leaves got me last week"]},
}

B["offtopic"] = {
    "fr": {"mood": "laugh", "start": [
        "Quelqu'un a vu le match hier soir ?", "Vivement le week-end sérieux",
        "Qu'est-ce que vous mangez ce midi ?", "Il pleut ENCORE", "Je suis en réunion, sauvez-moi",
        "Des recos de séries pour ce soir ?", "Le lundi devrait être interdit",
        "Mon chat vient de renverser mon café sur le clavier", "Qui joue à Mario Kart ici ?",
        "La grève des transports demain, la trott va servir", "Petit sondage : pizza ananas oui ou non",
        "J'ai oublié mon déj à la maison, journée ruinée", "Quelqu'un connaît un bon garagiste vélo à Lyon ?",
        "Ça caille ce matin, 4 degrés", "Netflix a encore augmenté son abonnement, relou",
        "Le café de la machine du boulot est imbuvable", "Bon ben le PSG a encore perdu",
        "Qui va au salon de la mobilité le mois prochain ?", "J'ai trouvé un billet de 10€ par terre, bonne journée",
        "Mon voisin fait des travaux depuis 7h du mat", "Vous êtes plutôt chocolatine ou pain au chocolat ?",
        "J'ai craqué pour un nouveau casque de musique", "La rentrée a été rude",
        "On est vendredi et j'ai l'impression d'être lundi", "mdr le meme d'hier était trop drôle",
        "qqn sait si le marché de Noël ouvre bientôt ?"],
        "reply": [
        "mdr", "ptdr", "Même pas en rêve pour l'ananas", "Chocolatine évidemment", "Pain au chocolat, débat clos",
        "Regarde The Bear c'est top", "Grave", "Courage 😂", "RIP ton clavier", "Moi je joue !", "Ahah",
        "Pas vu non", "Raclette ce midi, il fait froid", "Oh non", "Trop vrai", "Mais tellement",
        "Je suis team ananas désolé", "haha bien vu", "Pareil ici", "x)", "sérieux ? 😂", "ah ouais carrément",
        "c'est la vie", "oui j'y serai", "vivement vendredi"]},
    "en": {"mood": "laugh", "start": [
        "Anyone watching the game tonight?", "Monday again, ugh", "What's for lunch people?",
        "Rain. Again.", "In a meeting that should've been an email", "Any good series recs?",
        "My dog ate my charger cable lol", "Who plays Mario Kart here?", "Train strike tomorrow, scooter to the rescue",
        "Hot take: pineapple belongs on pizza", "Forgot my lunch at home, day ruined",
        "It's freezing this morning", "Spotify raised prices again, sigh", "Coffee machine at work is broken, send help",
        "Just found 10 bucks on the street, good day", "Friday feels like monday", "that meme yesterday killed me 💀",
        "Anyone going to the mobility expo next month?", "Neighbour's been drilling since 7am"],
        "reply": [
        "lol", "haha", "no way", "pineapple is a crime", "Team pineapple here", "watch Severance",
        "same", "rip", "oof", "😂", "lmao", "true", "I'll be there", "big mood", "hang in there",
        "this is the way", "nah", "ikr", "lmaooo"]},
}

B["tips"] = {
    "fr": {"mood": None, "start": [
        "Vous gonflez vos pneus à combien ?", "Petit rappel : vérifiez vos freins avant l'hiver",
        "Quelqu'un a un tuto pour changer une chambre à air ?", "Vous mettez quoi comme antivol ?",
        "C'est quoi le meilleur casque selon vous ?", "Je cherche un garde-boue arrière qui tient",
        "Astuce : un peu de graisse silicone sur la béquille, fini le grincement",
        "Vous rechargez tous les soirs ou vous attendez qu'elle soit vide ?",
        "Quel éclairage d'appoint vous conseillez pour la nuit ?", "Vous avez une assurance pour vos trott ?",
        "Comment vous faites pour la ranger en appart ?", "Les pneus pleins ça vaut le coup ou pas ?"],
        "reply": [
        "50 psi pour moi", "Un U Kryptonite + câble", "Je recharge tous les soirs, jamais de souci",
        "Il y a une vidéo YouTube très bien faite, cherche 'chambre à air trott'",
        "Pneus pleins = confort zéro", "Casque Livall, avec clignotants, top", "Assurance via ma MRH, check ta maison",
        "Dans l'entrée pliée, ça passe", "Moi j'attends 20% puis je recharge", "Merci pour l'astuce !",
        "Un antivol pliant Abus c'est bien", "Perso je la monte au 3e sans ascenseur, vive le sport",
        "évite de la laisser à 0% trop longtemps c'est mauvais pour la batterie"]},
    "en": {"mood": None, "start": [
        "What tyre pressure do you run?", "Reminder: check your brakes before winter",
        "Best lock for a scooter?", "Any helmet recommendations?", "Charge every night or wait till it's low?",
        "How do you store yours in a small flat?", "Solid tyres, worth it or not?",
        "Tip: silicone spray on the kickstand fixes the squeak", "Does anyone insure their scooter?"],
        "reply": [
        "50 psi", "Abus folding lock", "every night, no issues so far", "solid tyres = no comfort",
        "Livall helmet, has indicators", "thanks for the tip!", "folded in the hallway",
        "check your home insurance, mine covers it", "don't leave it at 0% for long, bad for the battery"]},
}

# Brand questions, neutral. Answers are neutral/positive.
B["q_battery"] = {
    "fr": {"mood": None, "start": [
        "Vous avez combien d'autonomie réelle avec la {s1} ?", "La batterie de la {max} tient combien de cycles ?",
        "C'est normal que ma {s1} perde 10% d'autonomie quand il fait froid ?",
        "Quelqu'un a déjà changé la batterie de sa {brand} ? ça coûte combien ?",
        "Combien de temps pour une charge complète de la {max} ?",
        "On peut laisser la trott en charge toute la nuit sans risque ?",
        "Autonomie annoncée {km} km, vous faites combien en vrai ?",
        "Le chargeur rapide {brand} vaut le coup ?"],
        "reply": [
        "Je fais environ 35 km en eco", "Oui c'est normal en hiver, la chimie des batteries aime pas le froid",
        "Environ 6h pour moi", "Aucun problème de batterie de mon côté après 1 an", "Le BMS coupe tout seul, pas de souci",
        "25 km en sport, 40 en eco", "Perso je débranche quand c'est plein, par habitude",
        "Chargeur rapide = 3h au lieu de 6, ça vaut le coup si tu roules beaucoup",
        "Regarde dans la FAQ Voltaro, c'est expliqué", "Je l'ai changée sous garantie, gratuit"]},
    "en": {"mood": None, "start": [
        "Real world range on the {s1}?", "Is it normal to lose range in the cold?",
        "How long does the {max} take to fully charge?", "Anyone replaced a {brand} battery? cost?",
        "Safe to leave it charging overnight?", "Is the {brand} fast charger worth it?"],
        "reply": [
        "about 30 km in eco", "yes, cold kills range, totally normal", "~6 hours", "BMS cuts off, it's fine",
        "no battery issues on mine after a year", "fast charger halves the time, worth it imo",
        "got mine swapped under warranty, free"]},
}

B["q_app"] = {
    "fr": {"mood": None, "start": [
        "Comment on active le mode sport dans {app} ?", "{app} affiche pas mes trajets, c'est normal ?",
        "Vous utilisez le mode GPS de {app} ?", "Il y a un mode sombre dans {app} ?",
        "On peut partager sa trott avec un autre compte sur {app} ?",
        "La mise à jour firmware via {app} prend combien de temps ?",
        "Je retrouve plus le bouton pour verrouiller dans {app}"],
        "reply": [
        "Paramètres > Conduite > Mode sport", "Déconnecte/reconnecte le bluetooth ça règle souvent",
        "Oui mode sombre depuis la dernière version", "Onglet Partage, tu invites par mail",
        "La maj prend 5 min, laisse le téléphone à côté", "Il est en haut à droite maintenant",
        "Moi {app} marche nickel", "Je l'utilise jamais perso"]},
    "en": {"mood": None, "start": [
        "How do I turn on sport mode in {app}?", "Is there a dark mode in {app}?",
        "Can I share my scooter with my partner's account?", "{app} not showing my trips, normal?",
        "How long does the firmware update take through {app}?"],
        "reply": [
        "Settings > Riding > Sport", "toggle bluetooth off and on, usually fixes it", "yep dark mode since last update",
        "Sharing tab, invite by email", "about 5 mins, keep the phone close", "{app} works fine for me tbh"]},
}

B["q_delivery"] = {
    "fr": {"mood": None, "start": [
        "Vous avez été livrés en combien de temps ?", "Commande passée hier, quelqu'un sait avec quel transporteur ils livrent ?",
        "On peut retirer sa {s1} en magasin ou c'est que livraison ?", "La livraison est gratuite chez {brand} ?",
        "Vous avez eu un numéro de suivi direct après la commande ?"],
        "reply": [
        "4 jours pour moi", "DPD je crois", "Livraison offerte au-dessus de 300€", "Oui suivi par mail le lendemain",
        "Reçue en 3 jours, nickel", "Retrait possible chez certains revendeurs", "Pas de souci de livraison pour moi"]},
    "en": {"mood": None, "start": [
        "How long did delivery take for you?", "Which courier does {brand} use?", "Is shipping free?",
        "Did you get a tracking number right away?"],
        "reply": [
        "5 days to Belgium", "DPD here", "free over 300 I think", "got tracking next day", "arrived in 4 days, well packed"]},
}

B["q_price"] = {
    "fr": {"mood": None, "start": [
        "La {s1} est en promo quelque part ?", "Ça vaut le coup de prendre la {max} plutôt que la {s1} ?",
        "Il y a des soldes prévues chez {brand} pour le Black Friday ?", "Vous avez payé combien votre {max} ?",
        "Le prime à la conversion marche pour les trott ?", "Le code promo de la communauté marche encore ?"],
        "reply": [
        "Elle était à -15% le mois dernier", "La {max} si tu fais plus de 15 km par jour",
        "Probablement pour le Black Friday oui", "899€ pour la {max}", "Certaines villes ont une aide, regarde ta mairie",
        "Le code RIDE10 marchait la semaine dernière", "Pour le prix franchement ça reste correct"]},
    "en": {"mood": None, "start": [
        "Is the {s1} on sale anywhere?", "Worth getting the {max} over the {s1}?", "Any Black Friday deals expected?",
        "What did you pay for your {max}?"],
        "reply": [
        "15% off last month", "Max if you do long commutes", "probably on Black Friday", "paid 899", "fair price for what you get"]},
}

B["q_support"] = {
    "fr": {"mood": None, "start": [
        "Comment on contacte le SAV {brand} ? par mail ou tel ?", "La garantie couvre les pneus ?",
        "Quelqu'un a déjà fait jouer la garantie ? ça se passe comment ?", "Le SAV répond en combien de temps en général ?",
        "Il y a un réparateur agréé {brand} sur {place} ?"],
        "reply": [
        "Formulaire sur le site, ils répondent en 48h", "Les pneus c'est de l'usure, pas couvert",
        "J'ai eu affaire au SAV, super réactif franchement", "Liste des réparateurs sur le site, rubrique Aide",
        "Le chat en ligne est plus rapide que le mail", "Ils m'ont renvoyé une pièce en 3 jours"]},
    "en": {"mood": None, "start": [
        "Best way to reach {brand} support?", "Does the warranty cover tyres?", "How fast does support usually reply?",
        "Is there an authorised {brand} repair shop near {place}?"],
        "reply": [
        "web form, they answered in 2 days", "tyres are wear items, not covered", "support was great with me honestly",
        "live chat is faster", "repair shop list is on their site"]},
}

B["praise"] = {
    "fr": {"mood": "happy", "start": [
        "Franchement la {s1} c'est le meilleur achat de l'année", "Le SAV {brand} m'a changé le frein en 2 jours, chapeau",
        "1 an avec ma {max}, zéro panne, zéro souci", "La dernière mise à jour de {app} est top, plus fluide",
        "J'avoue j'étais sceptique mais {brand} a bien bossé sur la {s1}",
        "Livraison en 48h, emballage nickel, {brand} au top", "La {mini} pour les ados c'est parfait",
        "Pas un seul problème de batterie depuis que je l'ai, contrairement à ce que j'avais lu",
        "Le nouveau guidon de la {max} est vachement plus confortable",
        "Merci {brand} pour la réponse rapide sur le chat", "Les freins de la {s1} sont vraiment rassurants sous la pluie"],
        "reply": [
        "Pareil, très contente", "+1", "Top !", "Confirmé, le SAV est bien", "J'hésitais, ça me rassure",
        "Elle est increvable", "Oui la maj est cool", "Trop d'accord", "Content pour toi", "Pas mieux"]},
    "en": {"mood": "happy", "start": [
        "Honestly the {s1} is the best thing I bought this year", "{brand} support replaced my brake in 2 days, impressed",
        "One year on my {max}, zero issues", "Latest update of {app} is smooth af",
        "Delivery in 2 days, great packaging", "Not a single battery issue since I got it",
        "Shoutout to {brand} support, quick and friendly"],
        "reply": ["same here", "+1", "good to hear", "agreed", "that's reassuring", "love mine too", "nice"]},
}

# Ordinary, isolated complaints (baseline level; different authors and topics).
B["complaint"] = {
    "fr": {"mood": "meh", "start": [
        "Ma {s1} grince du guidon depuis une semaine, relou", "{app} m'a déconnecté 2 fois ce matin, bizarre",
        "Le garde-boue de la {max} a encore pris du jeu", "Ma livraison a 2 jours de retard, bon pas grave",
        "Le SAV m'a pas encore répondu, ça fait 4 jours", "Je trouve que le prix des pièces détachées {brand} pique un peu",
        "Le clignotant de ma {s1} marche une fois sur deux", "L'autonomie de ma {max} a baissé depuis l'été, un peu déçu",
        "La béquille est vraiment fragile sur la {mini}", "Un peu déçu par le chargeur, il chauffe pas mal",
        "Pas fan de la nouvelle interface de {app}, on s'y retrouve plus",
        "La sonnette de la {s1} on l'entend pas du tout en ville"],
        "reply": [
        "Ah mince, contacte le SAV", "Un peu de WD40 et c'est réglé", "Moi aussi ça m'est arrivé une fois",
        "Relance-les, en général ça bouge", "Normal en hiver pour l'autonomie", "Le chargeur chauffe un peu c'est normal",
        "Tu peux serrer la vis sous le garde-boue", "Perso jamais eu le problème", "Ouais l'interface j'ai dû m'habituer",
        "Change la sonnette, 5€ sur internet", "Ouvre un ticket, ils sont plutôt réglo"]},
    "en": {"mood": "meh", "start": [
        "My {s1} handlebar creaks, annoying", "{app} logged me out twice today, weird",
        "Delivery is 2 days late, not a big deal", "Support hasn't replied in 4 days",
        "Spare parts from {brand} are a bit pricey", "Range on my {max} dropped since summer, slightly disappointed",
        "The kickstand on the {mini} feels flimsy", "Not a fan of the new {app} layout"],
        "reply": ["open a ticket", "same happened to me once", "bit of grease fixes it", "cold weather, normal",
                  "never had that", "nudge them, they usually reply", "you get used to the layout"]},
}

B["competitor"] = {
    "fr": {"mood": None, "start": [
        "Quelqu'un a comparé la {s1} avec la {comp} One ?", "Mon pote a une {comp}, il dit que c'est pareil en moins cher",
        "{comp} sort un nouveau modèle, vous en pensez quoi ?", "Je vends ma {comp} pour passer chez {brand}, bonne idée ?",
        "Les {comp} sont moins lourdes non ?"],
        "reply": [
        "La {comp} est plus légère mais freine moins bien", "Chacun ses goûts", "J'ai eu une {comp}, j'ai pas regretté de changer",
        "Les deux se valent franchement", "Plus légère oui, mais moins d'autonomie"]},
    "en": {"mood": None, "start": [
        "Anyone compared the {s1} vs the {comp} One?", "Friend has a {comp}, says it's the same for less",
        "{comp} has a new model out, thoughts?", "Switching from {comp} to {brand}, good idea?"],
        "reply": ["{comp} is lighter but brakes are worse", "both are fine tbh", "had a {comp}, happier now",
                  "less range on the {comp}"]},
}

REACT = {
    "fr": ["mdr", "+1", "grave", "ptdr", "ah ouais", "c'est clair", "ok merci", "merci !", "👍", "😂", "ouais",
           "pas faux", "trop bien", "oké", "merci du tuyau", "ah bon ?", "jpp", "bien vu", "exact", "je confirme"],
    "en": ["lol", "+1", "true", "same", "thanks!", "👍", "😂", "ok", "fair", "nice", "ty", "yep", "haha", "good point",
           "this", "oh really?", "lmao", "agreed"],
}

BASE_WEIGHTS = {"greet": 12, "ride": 16, "offtopic": 22, "tips": 7, "q_battery": 4, "q_app": 4,
                "q_delivery": 3, "q_price": 3, "q_support": 3, "praise": 4, "complaint": 3, "competitor": 2}
CHANNEL_FOR = {"greet": CH_GENERAL, "ride": CH_RIDES, "offtopic": CH_GENERAL, "tips": CH_SAV,
               "q_battery": CH_SAV, "q_app": CH_SAV, "q_delivery": CH_SAV, "q_price": CH_GENERAL,
               "q_support": CH_SAV, "praise": CH_GENERAL, "complaint": CH_SAV, "competitor": CH_GENERAL,
               "zipbash": CH_GENERAL, "event": CH_RIDES}

# Calm-day specials -----------------------------------------------------------------------------
B["zipbash"] = {
    "fr": {"mood": "laugh", "start": [
        "Vous avez vu le rappel de {comp} ? toutes leurs One ont un souci de potence 😬",
        "{comp} vient de doubler le prix de son abonnement, ils sont sérieux ?",
        "Mon collègue a une {comp}, la potence s'est pliée en roulant, il a eu de la chance",
        "{comp} a fermé son SAV en France ou quoi ? mon pote attend depuis 2 mois",
        "L'appli {comp} est en panne depuis ce matin apparemment, contents d'être chez {brand} mdr",
        "Franchement {comp} c'est du marketing et rien derrière", "Le rappel {comp} c'est 40 000 trott quand même",
        "Lol {comp} qui répond aux clients avec des messages copier-coller",
        "Je comprends pas comment {comp} peut encore vendre la One après ça",
        "Un mec sur le forum {comp} dit que sa batterie a gonflé, et ils refusent la garantie",
        "{comp} supprime les commentaires négatifs sur leur page, classe",
        "Bon bah heureusement que j'ai pas pris la {comp} l'an dernier",
        "Les vidéos de la potence {comp} qui casse, ça fait peur"],
        "reply": [
        "Ouais j'ai vu, ça craint pour eux", "Ça fait plaisir d'être chez {brand} pour le coup", "Quelle boîte de clowns",
        "Ils ont toujours été moyens niveau SAV", "Pas étonné", "Ton collègue va bien au moins ?", "RIP {comp}",
        "C'est chaud pour ceux qui l'ont achetée", "J'espère que {brand} fera pas la même", "Zéro surprise",
        "Le pire c'est leur com de crise", "mdr ils sont finis", "Faut pas se moquer, ça peut arriver à tout le monde",
        "On verra bien, la {s1} aussi a eu sa petite maj de frein à l'époque", "Leur appli a toujours été buggée"]},
    "en": {"mood": "laugh", "start": [
        "Did you see the {comp} recall? stem issue on all One models 😬", "{comp} app down all day lol",
        "{comp} support ghosting people for months, glad I'm on {brand}", "{comp} doubled their subscription price, wild",
        "A guy on the {comp} subreddit says his battery swelled and they refused warranty",
        "{comp} deleting negative comments on their page, classy", "40k scooters recalled by {comp}, that's huge",
        "Dodged a bullet not buying the {comp} last year", "{comp} PR response is a copy paste mess"],
        "reply": ["yikes", "glad I chose {brand}", "not surprised tbh", "rip {comp}", "hope {brand} never does that",
                  "their app was always buggy", "poor owners", "don't gloat, could happen to anyone", "lmao"]},
}

B["event"] = {
    "fr": {"mood": "happy", "start": [
        "La Voltaro Night Ride de ce soir, qui vient ?? 🔥", "Point de rendez-vous de la Night Ride : {place}, 20h",
        "Les nouveaux coloris de la {s1} sont sortis, le vert sapin est magnifique",
        "J'ai précommandé la {s1} en vert sapin, trop hâte", "On sera combien ce soir ? je compte 40 inscrits",
        "{brand} offre des gilets réfléchissants à la Night Ride, trop sympa", "Les photos de la Night Ride arrivent !",
        "Meilleure soirée du mois, merci à l'équipe {brand}", "Le parcours de ce soir était génial",
        "Y a eu un monde fou, je pensais pas qu'on serait autant", "Next Night Ride quand ? 😍",
        "Le stand {brand} avec les essais de la {max}, j'ai adoré",
        "Le vert sapin en vrai est encore plus beau que sur les photos"],
        "reply": ["J'y serai !", "Trop hâte", "Magnifique", "+1 pour le vert", "Merci l'orga 👏", "Quelle soirée",
                  "Vivement la prochaine", "Je viens avec 2 potes", "Les photos sont trop belles", "On était au moins 60",
                  "Le vert sapin 😍", "Best soirée", "Bravo à l'équipe", "C'était génial"]},
    "en": {"mood": "happy", "start": [
        "Voltaro Night Ride tonight, who's coming? 🔥", "New {s1} colours just dropped, forest green is gorgeous",
        "Preordered the green {s1}, can't wait", "Night Ride pics incoming!", "Best evening in ages, thanks {brand} team",
        "Test rides of the {max} at the stand were great", "When's the next Night Ride?"],
        "reply": ["I'll be there!", "so hyped", "gorgeous", "great pics", "thanks to the organisers 👏", "what a night",
                  "next one when??", "green is the one"]},
}

C_ZIP_TRIGGER = {
    "fr": ["C'est officiel : {comp} rappelle toutes ses trottinettes One, risque de rupture de potence "
           "https://www.lemonde.fr/economie/article/2026/10/09/zipwheel-rappel"],
    "en": ["Official: {comp} recalls every One scooter, stem can snap https://www.theverge.com/2026/10/9/zipwheel-recall"],
}

# CM account lines (role "cm")
CM_LINES = {
    "ack": {"fr": ["Bonjour à tous, on a bien vu vos messages, on remonte à l'équipe et on revient vers vous au plus vite.",
                   "Merci de votre patience, l'équipe technique est sur le sujet.",
                   "On vous tient au courant ici dès qu'on a du nouveau 🙏",
                   "Merci de nous envoyer votre numéro de commande en MP, on regarde au cas par cas."],
            "en": ["Hi all, we've seen your messages and escalated to the team, we'll update you asap.",
                   "Thanks for your patience, the tech team is on it.",
                   "Please DM us your order number and we'll check case by case."]},
}

# --------------------------------------------------------------------------------------------
# Crisis pools. Phases: trigger (posted first, in order), react, reply, late, [resolve]
# --------------------------------------------------------------------------------------------
C = {}

C["battery_fire"] = {
    "mood": "worry",
    "trigger": {
        "fr": ["Euh vous avez vu cette vidéo ??? une {max} qui prend feu dans un hall d'immeuble https://x.com/lyon_info/status/18420 😱",
               "c'est une Voltaro Max là non ?? la batterie explose carrément"],
        "en": ["guys WTF, video of a Voltaro Max battery catching fire in an apartment hallway https://x.com/lyon_info/status/18420",
               "that's definitely a {max}, you can see the logo on the deck"]},
    "react": {
        "fr": ["Ah ouais c'est bien une {max}, on voit le logo", "J'ai la même dans mon salon là, je fais quoi ???",
               "Je débranche la mienne direct", "Bordel la batterie de la {max} qui crame, ça fait flipper",
               "Il y avait des gens dans l'immeuble ?", "C'est la 2e vidéo de batterie {brand} qui flambe que je vois",
               "Moi je la recharge la nuit dans la chambre de mon fils... plus jamais",
               "{brand} va devoir s'expliquer là", "Quelqu'un a des infos ? c'était en charge ?",
               "C'est grave, une batterie qui prend feu comme ça c'est un défaut de fabrication",
               "Je laisse plus ma {max} à l'intérieur tant qu'on sait pas", "Ça fait peur sérieux",
               "Ils vont faire un rappel ? il faut un rappel là", "Et {brand} qui dit rien, super",
               "Mon cœur s'est arrêté en voyant la vidéo, j'ai la même", "On a des chiffres de lots concernés ?",
               "J'ai envoyé un mail au SAV pour savoir si mon numéro de série est concerné",
               "Batterie de la {max} = bombe à retardement apparemment", "Ça fait 10 min que je regarde ma trott bizarrement",
               "Si c'est un défaut batterie je veux être remboursé", "La vidéo fait le tour de Twitter, ça va faire mal à {brand}",
               "Franchement je suis pas rassuré, j'ai 2 {max} à la maison", "Qu'est-ce qu'on est censés faire en attendant ?",
               "Mettez vos trott sur le balcon en attendant, on sait jamais", "C'est inadmissible si c'est confirmé",
               "{brand} répondez svp", "Quelqu'un de l'équipe peut nous dire quelque chose ??",
               "j'avais déjà signalé une batterie qui chauffait anormalement en juin, jamais eu de réponse",
               "Bon ben je vais recharger ma {max} sur le parking avec une rallonge 🙃",
               "Trop content d'avoir pris la {s1} finalement... enfin j'espère qu'elle est pas concernée"],
        "en": ["is that a {max}?? I have one charging right now", "unplugging mine right now",
               "Holy sh*t that battery went up fast", "anyone know if it was charging?", "{brand} needs to answer this asap",
               "I charge mine in the kids room... never again", "Is there a recall? there should be a recall",
               "that video is everywhere on twitter now", "Not reassured at all, I have two {max}",
               "what are we supposed to do in the meantime?", "if it's a battery defect I want a refund",
               "emailed support to check my serial number", "Is this the first one? I think I saw another video last month",
               "{brand} silent as usual", "scary af", "keeping mine on the balcony till we know more",
               "that's a fire hazard, not a small bug", "my wife wants it out of the house tonight 😬"]},
    "reply": {
        "fr": ["Pareil, je débranche", "Moi aussi j'ai une {max}, je flippe", "+1 faut un rappel", "Clairement",
               "Ouais ben en attendant c'est pas rassurant",
               "Même question", "Je suis d'accord, {brand} doit communiquer", "Ils ont intérêt à réagir vite",
               "Merci pour l'info, je la sors du salon", "Moi ça me donne envie de la revendre",
               "Pareil, j'ai les mains moites en regardant ma trott", "Ouais, on attend une réponse officielle",
               "Je me pose la même question", "Ça me rassure pas du tout ce que tu dis"],
        "en": ["same, unplugged", "+1 need a recall", "still not reassuring", "agreed, they need to say something",
               "thanks for the heads up", "same question", "yeah this is bad"]},
    "skeptic": {
        "fr": ["Attendez avant de paniquer, on sait pas si c'est une batterie d'origine",
               "Ça peut être une batterie trafiquée, on sait pas", "On se calme, 1 vidéo sur des dizaines de milliers de trott",
               "Vous savez même pas si c'est vraiment une Voltaro, il y a plein de copies",
               "Perso j'attends la version officielle avant de jeter ma trott"],
        "en": ["wait before panicking, could be an aftermarket battery", "1 video out of thousands, calm down",
               "could be a knockoff, lots of clones look the same"]},
    "counter": {
        "fr": ["Et si c'était ta maison ?", "Une seule c'est déjà une de trop", "Facile à dire quand on n'a pas la {max}",
               "Même si c'est rare, {brand} doit communiquer", "Le logo est bien visible, c'est une vraie"],
        "en": ["would you say that if it was your flat?", "one is one too many", "easy to say if you don't own a {max}",
               "the logo is right there, it's a real one"]},
    "late": {
        "fr": ["Toujours aucune com officielle de {brand} ?", "Le communiqué de {brand} est super vague, ça rassure pas",
               "Ils disent 'enquête en cours', ok mais on fait quoi nous ?", "J'ai dormi avec la trott sur le balcon mdr",
               "Bon je recharge plus la nuit en tout cas", "On en reparle demain mais moi je suis refroidi",
               "Le post de {brand} sur insta est blindé de commentaires énervés"],
        "en": ["still no official statement?", "the statement is so vague", "'investigation ongoing' ok but what do we do",
               "not charging overnight anymore", "their instagram post is full of angry comments"]},
}

C["delivery_late"] = {
    "mood": "angry",
    "trigger": {
        "fr": ["Commande de ma {s1} passée il y a 3 semaines, toujours 'en préparation'... normal ?"],
        "en": []},
    "react": {
        "fr": ["Pareil, ma {s1} devait arriver vendredi, toujours rien", "Ma livraison a encore été repoussée, 3e fois",
               "Le suivi DPD dit 'colis en attente' depuis 10 jours", "Quelqu'un a reçu sa {s1} commandée en septembre ?",
               "J'ai eu un mail 'retard de livraison' sans aucune date, sérieux ?", "Commande {order}, aucune nouvelle depuis 12 jours",
               "J'ai payé 749€ et j'ai même pas de date de livraison, c'est abusé", "La livraison {brand} c'est un scandale en ce moment",
               "J'ai appelé le SAV, 45 min d'attente pour me dire 'on ne sait pas'",
               "Ils continuent à vendre la {s1} 'livrée en 5 jours' sur le site alors qu'ils ont pas de stock ?!",
               "Ma commande est passée de 'expédiée' à 'en préparation', comment c'est possible",
               "Je vais demander le remboursement si j'ai rien d'ici vendredi", "Ça fait 3 semaines que je prends le bus en attendant ma trott",
               "Livraison prévue le 2, on est le combien déjà ? 🙃", "Je commence à croire que ma {s1} n'existe pas",
               "Moi on m'a livré le chargeur... sans la trott mdr", "C'est le bazar chez eux, personne sait rien",
               "Le transporteur dit que c'est {brand} qui a pas envoyé, {brand} dit que c'est le transporteur. Super",
               "Retard de livraison + aucune com = je recommande plus {brand} à personne",
               "On est combien dans ce cas ? faudrait faire une liste", "Commande {order} pareil, bloquée",
               "Pas de livraison, pas de réponse, pas d'excuse. Bravo", "Le chat du site est fermé 'pour forte affluence' lol",
               "Je regrette de pas avoir pris une {comp} honnêtement, eux au moins ils livrent",
               "La page Trustpilot de {brand} commence à se remplir, je comprends pourquoi",
               "C'est la rentrée, je devais l'avoir pour aller au taf, merci {brand}",
               "Ils ont débité ma carte direct par contre, ça c'était rapide"],
        "en": ["Same here, my {s1} order is stuck for 2 weeks", "delivery pushed back again, third time",
               "tracking hasn't moved in 10 days", "got a 'delivery delay' email with no date, great",
               "anyone actually received an {s1} ordered in september?", "Order {order} still 'processing'",
               "their site still says 'ships in 5 days' lol", "support hold time 40 min to tell me nothing",
               "Courier blames {brand}, {brand} blames courier", "asking for a refund if nothing by friday",
               "they charged my card instantly though", "this delivery mess is getting ridiculous"]},
    "reply": {
        "fr": ["Pareil pour moi", "Moi aussi, commande {order}", "+1, aucune nouvelle", "Idem, c'est n'importe quoi",
               "T'as eu une réponse du SAV ?", "Relance par mail, ça a marché pour un pote", "Courage, moi c'est pareil",
               "Ah ça me rassure pas du tout", "Pareil, commande du 12 septembre",
               "Demande un geste commercial", "Ils ont pas prévenu du tout, c'est ça le pire"],
        "en": ["same here", "+1 no news", "did support reply?",
               "ask for compensation", "same, order {order}", "it's the silence that's the worst"]},
    "skeptic": {
        "fr": ["J'ai eu la mienne hier après 3 semaines, tiens bon", "Moi livrée en 4 jours la semaine dernière, bizarre",
               "C'est peut-être que le dernier lot, faut pas généraliser"],
        "en": ["got mine yesterday after 3 weeks, hang in there", "mine came in 4 days last week, weird"]},
    "counter": {
        "fr": ["Tant mieux pour toi mais on est des dizaines là", "Le dernier lot c'est quand même tout le monde ici",
               "Ouais ben 3 semaines c'est pas normal"],
        "en": ["good for you but there are dozens of us", "3 weeks isn't normal though"]},
    "late": {
        "fr": ["Toujours rien de mon côté", "Quelqu'un a eu une vraie date ?", "Le mail d'excuse de {brand} vient d'arriver, aucune date dedans",
               "Bon j'ai demandé le remboursement", "Le CM a répondu 'on revient vers vous' ça fait 2h",
               "Ça me saoule, je voulais juste ma trott"],
        "en": ["still nothing", "anyone got an actual date?", "apology email, no date, useless", "requested a refund"]},
}

C["one_member"] = {
    "mood": "angry",
    "angry": {
        "fr": ["LE SAV {brand} EST UNE ARNAQUE", "ça fait 6 semaines que ma {max} est au SAV et personne répond",
               "JE VEUX MON REMBOURSEMENT", "vous êtes des voleurs", "ticket #88213 toujours pas traité, 6 SEMAINES",
               "je vais porter plainte", "je vais faire une vidéo pour dire à tout le monde de pas acheter chez vous",
               "@Voltaro_Team répondez", "personne ici pour répondre ???", "1100€ la trott et ils la gardent 6 semaines",
               "j'ai appelé 14 fois", "vous supprimez mes messages sur facebook aussi ?", "ARNAQUE ARNAQUE ARNAQUE",
               "la garantie c'est du vent chez {brand}", "je vais contacter 60 millions de consommateurs",
               "je répète : ticket 88213, {max} au SAV depuis le 20 août", "c'est honteux",
               "j'attends toujours hein", "vous vous foutez de la gueule des clients", "réveillez vous",
               "je spammerai tant que j'aurai pas de réponse", "la modération va me ban pour avoir dit la vérité ?",
               "les CM sont payés à rien faire", "allo ???", "REMBOURSEZ MOI", "{brand} = honte",
               "j'ai une facture, un ticket, et zéro réponse", "et on me dit 'patientez' depuis 6 semaines",
               "je vais mettre 1 étoile partout", "Mon avocat va adorer", "ça vous fait rire ?",
               "c'est pas normal, point", "toujours rien 🤬", "je reviendrai demain et après demain",
               "marre marre marre", "vous attendez quoi ?", "répondez à vos clients bordel",
               "personne d'autre a le même problème ici ?", "je suis pas fou, 6 semaines !!!",
               "on m'a dit 'pièce en rupture' il y a 1 mois"],
    },
    "others": {
        "fr": ["Calme-toi un peu, les CM vont te répondre", "T'as essayé de leur écrire en MP ?",
               "Mec c'est la 20e fois que tu le dis là", "Je comprends ta colère mais spammer sert à rien",
               "Franchement j'ai eu une bonne expérience avec le SAV moi, t'as pas de chance", "@modo ?",
               "Il a pas tort sur le délai par contre, 6 semaines c'est long", "Ouvre un ticket et attends, ils sont débordés",
               "bon on peut parler d'autre chose ?", "Moi le SAV m'a répondu en 2 jours, bizarre",
               "Ça devient pénible là", "Ok on a compris", "Chacun son expérience hein",
               "Dommage pour toi, ça arrive, mais crier en majuscules ça aide pas"],
        "en": ["someone in the discord is losing it over support lol", "one guy spamming the discord about his refund"]},
    "cm": {
        "fr": ["Bonjour, on a bien vu ton ticket, je le fais remonter en priorité. Je t'écris en MP.",
               "Merci de poursuivre en MP, on s'occupe de ton dossier, promis.",
               "Petit rappel du règlement : pas de flood svp, on traite ton dossier."]},
}

C["warranty_spread"] = {
    "mood": "angry",
    "trigger": {
        "en": ["Voltaro refused my warranty claim because of 'water damage'. Rode in light rain. The {s1} is sold as IP65. Unbelievable.",
               "Screenshot of their reply: 'infiltration d'eau, non couvert par la garantie'. So IP65 means nothing?"],
        "fr": ["Vous avez vu ce qui se passe sur le Telegram ? {brand} refuse les garanties pour 'dégâts des eaux' sur la {s1}",
               "Apparemment la {s1} est vendue IP65 mais si tu roules sous la pluie t'as plus de garantie ??"]},
    "react": {
        "en": ["wait what, same thing happened to me in august", "IP65 and they refuse rain damage? lol",
               "my controller died after a rainy commute, support said 'water ingress, not covered'",
               "this is false advertising", "so we can't ride in the rain anymore? it's Europe",
               "they rejected my claim too, I thought I was just unlucky", "That's shameful from {brand}",
               "anyone tried to escalate? consumer protection?", "This is exactly why I'm not buying {brand} again",
               "Did they at least open the scooter or just guess?", "they quoted me 280 to fix it, outside warranty lol",
               "I've got 3 friends with the same story now", "how is this legal", "{brand} support is a joke with warranty",
               "I'm posting this on reddit too", "we should collect all cases in a doc",
               "this group is going nuts and {brand} says nothing", "IP65 my ass",
               "they literally advertise it in the rain on their instagram 🙃"],
        "fr": ["Ah ben moi aussi on m'a refusé la garantie pour de l'eau, je pensais être un cas isolé",
               "IP65 et pas de garantie sous la pluie ?? c'est une blague", "C'est de la publicité mensongère",
               "Mon contrôleur a lâché après une journée de pluie, 'infiltration d'eau' m'a dit le SAV",
               "Donc on roule plus quand il pleut ? on est en Bretagne hein", "Le SAV {brand} c'est devenu n'importe quoi",
               "280€ de réparation hors garantie pour un truc vendu étanche, non merci",
               "Faudrait saisir une asso de consommateurs", "Je comprends pourquoi ça gueule sur Telegram",
               "Sur leur pub la trott roule sous la pluie mdr", "Ils ont même pas ouvert la trott avant de refuser",
               "Je commence à regretter mon achat", "Faut faire une liste des cas, on est plein visiblement",
               "C'est scandaleux si c'est vrai", "J'ai 2 potes à qui c'est arrivé aussi",
               "La garantie {brand} elle sert à quoi alors ?", "Je vais plus jamais la sortir sous la pluie du coup, génial"]},
    "reply": {
        "en": ["same here", "+1, rejected too", "which model?", "that's bad", "screenshot it and post on their page",
               "ok that's worrying", "{s1} too?", "unbelievable"],
        "fr": ["Pareil", "+1 refus aussi", "Quel modèle ?", "C'est grave", "Ah ouais quand même",
               "Fais une capture et poste-la", "Incroyable", "J'ai eu exactement la même réponse", "Ça sent l'arnaque"]},
    "skeptic": {
        "en": ["mine was accepted though, weird", "to be fair IP65 isn't submersion, did you ride through puddles?",
               "maybe it's just a few bad cases, support was fine with me"],
        "fr": ["Moi ils l'ont acceptée pourtant, bizarre", "IP65 c'est pas immergeable non plus, t'as roulé dans des flaques ?",
               "C'est peut-être quelques cas isolés, moi le SAV a été nickel"]},
    "counter": {
        "en": ["light rain is not submersion", "so riding in the rain voids warranty? come on", "you got lucky"],
        "fr": ["Une petite pluie c'est pas une immersion", "T'as eu de la chance", "Donc rouler sous la pluie = plus de garantie ? sérieux"]},
    "late": {
        "en": ["still no answer from {brand} on this", "the doc has 23 cases now", "they replied 'each case is reviewed individually' lol",
               "not riding in the rain until this is clarified"],
        "fr": ["Toujours pas de réponse de {brand} là-dessus", "Le doc des cas en est à 23", "Réponse type 'chaque dossier est étudié individuellement', merci",
               "Bon je range la trott jusqu'à ce que ce soit clair"]},
}

C["price_increase"] = {
    "mood": "angry",
    "trigger": {
        "fr": ["Vous avez vu la newsletter ? La {max} passe de 899€ à 1 099€ 😳 et le mode sport devient payant dans {app} (2,99€/mois)"],
        "en": ["{brand} just announced: {max} price goes from 899 to 1099 and sport mode becomes a 2.99/month subscription in the app"]},
    "react": {
        "fr": ["+200€ d'un coup ?? ils sont sérieux", "Le mode sport en abonnement c'est une blague j'espère",
               "J'ai payé ma trott, je vais pas payer pour débloquer SA puissance", "Abonnement pour un truc qui marchait déjà, non merci",
               "La {max} à 1099€ elle vaut plus le coup face à la {comp}", "C'est du vol pur et simple",
               "Et ceux qui l'ont déjà ? on perd le mode sport ?", "Ça c'est le genre de truc qui me fait changer de marque",
               "{brand} qui devient Netflix de la trottinette", "Premier pas vers tout payer à l'option",
               "Je viens de désinstaller {app} par principe", "Hausse de 22%, l'inflation a bon dos",
               "Heureusement que j'ai acheté la mienne en juin", "Les prix explosent et le SAV toujours aussi lent",
               "Je conseillais {brand} à tout le monde, c'est fini", "Payer 2,99€ par mois pour aller à 25 km/h, lol",
               "C'est illégal de retirer une fonction déjà payée non ?", "Je vais écrire au service client, c'est abusé",
               "La {s1} va suivre aussi vous pensez ?", "C'est un abonnement pour un bouton quoi",
               "Je sens que le Trustpilot va prendre cher", "Franchement déçu, je pensais que {brand} était différent",
               "Ils se moquent de nous", "J'annule ma précommande de la {max}", "Le prix de la {max} est devenu indécent",
               "Mode sport payant = je reste en eco et je râle"],
        "en": ["+200 overnight? seriously?", "subscription for sport mode is a joke", "I paid for the hardware, not renting it",
               "at 1099 the {max} makes no sense vs the {comp}", "do existing owners lose sport mode??",
               "{brand} becoming the netflix of scooters", "uninstalling the app on principle",
               "I used to recommend {brand} to everyone, not anymore", "paywalling a feature I already paid for, no thanks",
               "cancelling my {max} preorder", "is removing a paid feature even legal?", "this is pure greed",
               "22% hike, inflation my ass", "so disappointed", "here comes the subscription everything era"]},
    "reply": {
        "fr": ["Clairement", "+1", "Pareil, je suis dégoûté", "C'est abusé", "Ils vont reculer j'espère",
               "Je signe", "Exactement", "Pas mieux", "Tellement d'accord", "Mais tellement"],
        "en": ["exactly", "+1", "agreed", "same", "hope they backtrack", "this ^"]},
    "skeptic": {
        "fr": ["Attendez de voir les détails, c'est peut-être que pour les nouvelles", "Bon, tout augmente, c'était prévisible",
               "Franchement 2,99 c'est pas la mort, vous exagérez"],
        "en": ["maybe it's only for new units?", "everything is getting pricier, not shocked", "2.99 isn't the end of the world"]},
    "counter": {
        "fr": ["Non c'est pour tout le monde, c'est dans la FAQ", "C'est pas le montant, c'est le principe",
               "Payer pour une fonction déjà achetée, non"],
        "en": ["no it's everyone, check the FAQ", "it's the principle, not the amount", "paying twice for the same feature, no"]},
    "late": {
        "fr": ["Toujours aussi énervé ce soir", "Y a une pétition qui tourne contre le mode sport payant",
               "{brand} a répondu 'pour financer le développement', lol", "Je rentre du taf et je vois que ça gueule toujours, normal",
               "Leur post insta a 800 commentaires négatifs"],
        "en": ["there's a petition now", "their answer: 'to fund development' lol", "still mad about this",
               "instagram post is a bloodbath"]},
}

C["app_outage"] = {
    "mood": "angry",
    "trigger": {
        "fr": ["{app} ne se connecte plus, impossible de déverrouiller ma trott 😩 vous aussi ?"],
        "en": ["Is Voltaro Ride down? can't unlock my scooter"]},
    "react": {
        "fr": ["Pareil, erreur 503 dans {app}", "Bloqué devant chez moi, la trott refuse de démarrer sans {app}",
               "{app} tourne dans le vide, je vais être en retard au taf", "Ça marche plus du tout, même en réinstallant",
               "Génial, ma trott est devenue un presse-papier de 20 kg", "Qui a eu l'idée de rendre l'appli obligatoire pour démarrer ???",
               "J'ai pris un Uber, merci {brand}", "Serveurs {brand} down ?", "Erreur 'session expirée' en boucle",
               "Impossible de se connecter depuis 8h30", "Ça fait 30 min que j'essaie", "Même en 4G ça marche pas",
               "Il y a un mode hors ligne ? j'ai rien trouvé", "En retard de 40 min à cause d'une appli, la honte",
               "Bravo pour la fiabilité", "{brand} vous dormez ?", "Je suis à pied avec ma trott à la main lol",
               "Sérieux c'est le 2e bug de {app} ce mois-ci", "Le statut sur le site dit 'tout fonctionne' mdr",
               "J'ai appelé le SAV, messagerie pleine", "Mon patron va adorer l'excuse 'mon appli de trott marche pas'",
               "Les trott connectées c'était une fausse bonne idée", "Faut un bouton physique de secours",
               "Quelqu'un a un contournement ? 🙏", "J'ai réinstallé 3 fois, rien", "Ça me met en retard pour déposer les enfants"],
        "en": ["same, error 503", "stuck at home, scooter won't start without the app", "late for work thanks to an app lol",
               "servers down?", "session expired loop", "reinstalled twice, nothing", "who thought app-only unlock was a good idea",
               "took the bus, thanks {brand}", "status page says all good lmao", "any workaround?", "this is the second outage this month",
               "my scooter is now a 20 kg paperweight", "support line is full", "need a physical backup button"]},
    "reply": {
        "fr": ["Pareil", "Moi aussi", "+1 bloqué", "Idem à Lyon", "Pareil à Nantes", "Même chose", "Ah je suis pas seul",
               "Non rien à faire", "Essaye de vider le cache ? (non ça marche pas chez moi)", "Pareil à Bordeaux",
               "Bloqué aussi à Lille", "Toujours rien chez moi"],
        "en": ["same", "me too", "+1", "same in Brussels", "same here, Lisbon", "nope, nothing works", "not just you"]},
    "skeptic": {
        "fr": ["Chez moi ça marche, c'est peut-être ton réseau ?", "Bon c'est une panne, ça arrive, ça va revenir"],
        "en": ["works for me, maybe your network?", "outages happen, chill, it'll be back"]},
    "counter": {
        "fr": ["Non c'est général, regarde le nombre de messages", "Ça arrive, oui, mais sans appli la trott démarre pas, c'est ça le problème"],
        "en": ["no it's everyone, look at the chat", "sure but without the app the scooter won't even start, that's the issue"]},
    "late": {
        "fr": ["Toujours down chez moi", "Ça fait 1h30 là...", "Le CM dit qu'ils bossent dessus, ok mais on fait quoi",
               "Ils vont nous dédommager ?"],
        "en": ["still down", "1.5h now...", "will there be compensation?"]},
    "resolve": {
        "fr": ["Ça remarche chez moi !", "C'est revenu 🙏", "Ok ça refonctionne", "Enfin, déverrouillé",
               "Ça remarche mais j'ai raté ma réunion", "Revenu, mais faut vraiment un plan B {brand}",
               "ça remarche, trop tard pour moi mais bon"],
        "en": ["it's back!", "working again", "finally unlocked", "back up, but they need a backup plan"]},
}


C["zip_recall"] = {
    "mood": "laugh",
    "trigger": C_ZIP_TRIGGER,
    "react": {lang: B["zipbash"][lang]["start"] + [
        "Pauvres proprios de {comp}, ça doit être la panique chez eux" if lang == "fr" else
        "feel for the {comp} owners, must be chaos",
        "{comp} a mis 3 mois à reconnaître le problème, la honte" if lang == "fr" else
        "{comp} took 3 months to admit it, shameful",
        "Leur communiqué c'est du grand n'importe quoi" if lang == "fr" else "their statement is word salad"]
        for lang in ("fr", "en")},
    "reply": {lang: B["zipbash"][lang]["reply"] for lang in ("fr", "en")},
    "late": {lang: B["zipbash"][lang]["start"] for lang in ("fr", "en")},
}


# --------------------------------------------------------------------------------------------
# Authors
# --------------------------------------------------------------------------------------------
FR_FIRST = ["Mehdi", "Julie", "Kevin", "Sarah", "Nico", "Lucas", "Camille", "Thomas", "Léa", "Yanis", "Inès", "Hugo",
            "Manon", "Karim", "Chloé", "Maxime", "Sofiane", "Laura", "Romain", "Anaïs", "Bastien", "Clara", "Théo",
            "Amine", "Pauline", "Quentin", "Océane", "Julien", "Nadia", "Antoine", "Lina", "Florian", "Elodie",
            "Adrien", "Samia", "Jérémy", "Margaux", "Benoît", "Fatou", "Cédric", "Justine", "Rayan", "Mathilde",
            "Loïc", "Sonia", "Vincent", "Emma", "Arthur", "Zoé", "Moussa", "Gaëlle", "Paul", "Élise", "Dylan"]
EN_FIRST = ["Tom", "Priya", "Jake", "Marco", "Emily", "Sven", "Ana", "Liam", "Chloe", "Raj", "Olivia", "Noah", "Fatima",
            "Ben", "Sophie", "Lukas", "Joana", "Daniel", "Aisha", "Pieter", "Grace", "Mateo", "Hannah", "Oscar", "Ines",
            "Ryan", "Zara", "Felix", "Megan", "Tiago", "Nora", "Sam", "Eva", "Jonas", "Leila", "Chris", "Maya", "Dev"]
FR_SUFFIX = ["_trott", "42", "69", "_lyon", "", ".b", "_rider", "13", "_vlt", "_nts", "33", "_du_31", "75", "_bzh", "_", "x",
             "_s1", "_max", "92", "_off"]
EN_SUFFIX = ["", " K", " M", "_rides", " B", "_nl", " 🛴", "99", " O.", " van D", " R", "_pt", "_scoots", "", " L"]
HANDLES = ["trottinator", "ecolo_urbain", "Le_Gaulois", "kamikaze_du_bitume", "Fée_Électrique", "pneu_crevé", "rouemaster",
           "xXvoltXx", "Zen_en_trott", "velotaf_mais_trott", "Docteur_Frein", "LaGrandeBleue", "capitaine_kwh",
           "scooterdad", "ampere_annie", "commute_queen", "nightrider_bxl", "lisbon_rolls", "wheelie_will", "ohm_sweet_ohm"]


def make_authors(rng: random.Random):
    def build(platform, n, fr_share):
        out, seen = [], set()
        base = 1043000000000000000 if platform == "discord" else 5100000000
        while len(out) < n:
            lang = "fr" if rng.random() < fr_share else "en"
            r = rng.random()
            if r < 0.08:
                name = rng.choice(HANDLES)
            elif lang == "fr":
                name = rng.choice(FR_FIRST) + rng.choice(FR_SUFFIX)
                if rng.random() < 0.3:
                    name = strip_accents(name).lower()
            else:
                name = rng.choice(EN_FIRST) + rng.choice(EN_SUFFIX)
            if name in seen:
                continue
            seen.add(name)
            uid = base + rng.randrange(10 ** 6, 10 ** 9 if platform == "discord" else 10 ** 8)
            out.append({"id": f"{platform}:{uid}", "name": name, "role": "member", "lang": lang,
                        "w": 1.0 / (len(out) + 3) ** 0.8})
        return out
    discord = build("discord", 260, 0.87)
    telegram = build("telegram", 190, 0.24)
    return discord, telegram


CM_DISCORD = {"id": "discord:1043000000000000001", "name": "Lea_Voltaro (CM)", "role": "cm", "lang": "fr", "w": 0}
CM_TELEGRAM = {"id": "telegram:5100000001", "name": "Voltaro Team", "role": "cm", "lang": "en", "w": 0}
ANGRY_MEMBER = {"id": "discord:1043000000555550123", "name": "Stephane_M", "role": "member", "lang": "fr", "w": 0}


# --------------------------------------------------------------------------------------------
# Day engine
# --------------------------------------------------------------------------------------------
HOUR_PROFILE = {8: 0.55, 9: 0.75, 10: 0.7, 11: 0.8, 12: 1.3, 13: 1.15, 14: 0.75, 15: 0.75, 16: 0.85,
                17: 1.05, 18: 1.35, 19: 1.5, 20: 1.5, 21: 1.3, 22: 0.85}


class Day:
    def __init__(self, index: int, scenario: str, authors, seed: int):
        self.index = index
        self.scenario = scenario
        self.rng = random.Random(seed)
        self.date = FIRST_DATE + timedelta(days=index - 1)
        self.t0 = self.date.replace(hour=DAY_START_H)
        self.t_end = self.date.replace(hour=DAY_END_H)
        self.msgs = []  # dicts with internal fields
        self.decks = {}
        disc, tg = authors
        rng = self.rng
        self.pool = {DISCORD: self.sample(disc, rng.randint(52, 72)), TELEGRAM: self.sample(tg, rng.randint(30, 44))}
        self.spare = {DISCORD: [a for a in disc if a not in self.pool[DISCORD]],
                      TELEGRAM: [a for a in tg if a not in self.pool[TELEGRAM]]}

    def sample(self, people, k):
        chosen, cand = [], list(people)
        weights = [p["w"] + 0.004 for p in cand]
        while len(chosen) < k:
            p = self.rng.choices(cand, weights)[0]
            i = cand.index(p)
            cand.pop(i)
            weights.pop(i)
            chosen.append(p)
        return chosen

    def draw(self, pool):
        """Draw without replacement from a pool (reshuffled when exhausted): fewer verbatim repeats."""
        key = id(pool)
        deck = self.decks.get(key)
        if not deck:
            deck = list(pool)
            self.rng.shuffle(deck)
            self.decks[key] = deck
        return deck.pop()

    def weekday_ok(self, text):
        found = [i for tok, i in WEEKDAY_TOKENS.items() if tok in text.lower()]
        return not found or self.date.weekday() in found

    def draw_ok(self, pool):
        for _ in range(6):
            tpl = self.draw(pool)
            if self.weekday_ok(tpl):
                return tpl
        return "ok"

    def at(self, hh, mm, ss=0):
        return self.date.replace(hour=hh, minute=mm, second=ss)

    def pick_author(self, community, lang_pref=None, exclude=()):
        pool = [a for a in self.pool[community] if a not in exclude]
        if lang_pref:
            same = [a for a in pool if a["lang"] == lang_pref]
            if same and self.rng.random() < 0.85:
                pool = same
        return self.rng.choices(pool, [a["w"] + 0.01 for a in pool])[0]

    def add(self, ts, community, channel, author, text, reply_to=None, mentions=(), kind="base", tag=None):
        if ts < self.t0 or ts >= self.t_end:
            return None
        if reply_to is not None and reply_to["ts"] >= ts:
            ts = reply_to["ts"] + timedelta(seconds=self.rng.randint(4, 40))
            if ts >= self.t_end:
                return None
        m = {"ts": ts, "community": community, "channel": channel, "author": author, "text": text,
             "reply_to": reply_to, "mentions": list(mentions), "kind": kind, "tag": tag, "seq": len(self.msgs)}
        self.msgs.append(m)
        return m

    # ---- baseline -----------------------------------------------------------------------------
    def baseline(self, weights=None, volume=1.0, rate_mult=None, cat_hours=None):
        weights = dict(BASE_WEIGHTS, **(weights or {}))
        cats, ws = list(weights), list(weights.values())
        for community, per_day in ((DISCORD, 118), (TELEGRAM, 62)):
            per_day *= volume * self.rng.uniform(0.88, 1.12)
            per_min = per_day / sum(HOUR_PROFILE.values()) / 60
            t = self.t0
            while t < self.t_end:
                mult = HOUR_PROFILE[t.hour] * (rate_mult(community, t) if rate_mult else 1.0)
                if self.rng.random() < per_min * mult:
                    cat = self.rng.choices(cats, ws)[0]
                    if cat_hours and cat in cat_hours and not (cat_hours[cat][0] <= t.hour < cat_hours[cat][1]):
                        cat = "offtopic"
                    self.session(community, cat, t + timedelta(seconds=self.rng.randint(0, 59)),
                                 extra_len=2 if cat in ("zipbash", "event") else 0)
                t += timedelta(minutes=1)

    def session(self, community, cat, ts, extra_len=0):
        rng = self.rng
        starter = self.pick_author(community)
        lang = starter["lang"]
        pool = B[cat][lang]
        if community == DISCORD:
            channel = CHANNEL_FOR.get(cat, CH_GENERAL) if rng.random() < 0.75 else CH_GENERAL
        else:
            channel = TG_CH
        text = stylize(fill(self.draw_ok(pool["start"]), lang, rng), lang, pool["mood"], rng)
        first = self.add(ts, community, channel, starter, text, kind="base", tag=cat)
        if first is None:
            return
        n = 0 if rng.random() < 0.22 else 1 + min(int(rng.expovariate(0.75)), 7)
        n += extra_len
        prev, t, people = first, ts, [starter]
        for _ in range(n):
            t = t + timedelta(seconds=int(rng.expovariate(1 / 70)) + 8)
            if rng.random() < 0.25 and len(people) > 1:
                who = rng.choice(people)
            else:
                who = self.pick_author(community, lang_pref=lang)
            if who is prev["author"]:
                who = self.pick_author(community, lang_pref=lang, exclude=(who,))
            people.append(who)
            wl = who["lang"]
            rp = B[cat][wl]
            if rng.random() < 0.3:
                text = rng.choice(REACT[wl])
            else:
                text = stylize(fill(self.draw_ok(rp["reply"]), wl, rng), wl, rp["mood"], rng)
            target = first if rng.random() < 0.55 else prev
            mentions = ()
            if rng.random() < 0.12 and target["author"] is not who:
                text = "@" + target["author"]["name"] + " " + text
                mentions = (target["author"]["id"],)
            reply_to = target if rng.random() < 0.8 else None
            m = self.add(t, community, channel, who, text, reply_to=reply_to, mentions=mentions, kind="base", tag=cat)
            if m is None:
                return
            prev = m

    # ---- crisis stream ------------------------------------------------------------------------
    def crisis_stream(self, key, community, start, rate, minutes, channel_choices, lurkers=20, late_after=60,
                      trigger_lang=None, reply_share=0.35, cm=None, resolve_at=None):
        """Poisson stream of crisis messages. rate(t_min) -> messages/min. cm: list of (minute, text key)."""
        rng = self.rng
        spec = C[key]
        extra = rng.sample(self.spare[community], lurkers)
        self.spare[community] = [a for a in self.spare[community] if a not in extra]
        self.pool[community] = self.pool[community] + extra
        crowd = self.pool[community]
        cw = [a["w"] + 0.02 for a in crowd]
        recent = []
        if trigger_lang is None:
            trigger_lang = "fr" if community == DISCORD else "en"
        t = start
        first_author = self.pick_author(community, lang_pref=trigger_lang)
        for i, tpl in enumerate(spec["trigger"].get(trigger_lang, [])):
            who = first_author if i == 0 else self.pick_author(community, lang_pref=trigger_lang)
            text = stylize(fill(tpl, trigger_lang, rng), trigger_lang, None, rng)
            m = self.add(t, community, channel_choices[0], who, text,
                         reply_to=recent[-1] if recent else None, kind="crisis", tag=key)
            recent.append(m)
            t += timedelta(seconds=rng.randint(25, 70))
        stream_from = t  # the stream only starts once the trigger messages are out
        skeptics = []
        for minute in range(minutes):
            lam = rate(minute)
            k = poisson(rng, lam)
            for _ in range(k):
                ts = start + timedelta(minutes=minute, seconds=rng.randint(0, 59))
                if ts <= stream_from:
                    continue
                who = rng.choices(crowd, cw)[0]
                lang = who["lang"]
                channel = rng.choice(channel_choices) if community == DISCORD else TG_CH
                earlier = [r for r in recent[-12:] if r and r["ts"] < ts and r["channel"] == channel]
                open_sk = [r for r in skeptics[-3:] if r["ts"] < ts and r["channel"] == channel
                           and ts - r["ts"] < timedelta(minutes=15)]
                phase_late = minute >= late_after and rng.random() < 0.45
                is_skeptic = False
                calm = False
                if resolve_at is not None and resolve_at <= minute < resolve_at + 20:
                    calm = True
                    tpl = self.draw(spec["resolve"][lang])
                    target = rng.choice(earlier) if earlier and rng.random() < 0.3 else None
                elif open_sk and rng.random() < 0.35:
                    tpl = self.draw(spec["counter"][lang])
                    target = open_sk[-1]
                elif "skeptic" in spec and rng.random() < 0.05:
                    tpl = self.draw(spec["skeptic"][lang])
                    target = rng.choice(earlier) if earlier and rng.random() < 0.7 else None
                    is_skeptic = True
                elif earlier and rng.random() < reply_share:
                    tpl = self.draw(spec["reply"][lang])
                    target = rng.choice(earlier)
                else:
                    tpl = self.draw(spec["late" if phase_late else "react"][lang])
                    target = rng.choice(earlier) if earlier and rng.random() < 0.15 else None
                    tpl = affix(tpl, lang, rng)
                if target is not None and target["author"] is who:
                    if tpl in spec["reply"][lang] or tpl in spec.get("counter", {}).get(lang, []):
                        continue
                    target = None
                text = stylize(fill(tpl, lang, rng), lang, None if (is_skeptic or calm) else spec["mood"], rng)
                m = self.add(ts, community, channel, who, text, reply_to=target, kind="crisis", tag=key)
                if m:
                    recent.append(m)
                    recent.sort(key=lambda r: r["ts"])
                    if is_skeptic:
                        skeptics.append(m)
        for minute, line in (cm or []):
            who = CM_DISCORD if community == DISCORD else CM_TELEGRAM
            self.add(start + timedelta(minutes=minute, seconds=rng.randint(0, 59)), community, channel_choices[0], who,
                     line, kind="cm", tag=key)

    # ---- output -------------------------------------------------------------------------------
    def write(self, path: Path):
        self.msgs.sort(key=lambda m: (m["ts"], m["seq"]))
        for i, m in enumerate(self.msgs, 1):
            m["id"] = f"d{self.index:02d}-m{i:04d}"
        with path.open("w", encoding="utf-8") as f:
            for m in self.msgs:
                a = m["author"]
                rec = {"type": "message", "id": m["id"], "ts": m["ts"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "community": m["community"], "channel": m["channel"],
                       "author": {"id": a["id"], "name": a["name"], "role": a["role"]},
                       "text": m["text"], "reply_to": m["reply_to"]["id"] if m["reply_to"] else None,
                       "mentions": m["mentions"], "attachments": []}
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")


WEEKDAY_TOKENS = {"lundi": 0, "monday": 0, "mercredi": 2, "wednesday": 2, "vendredi": 4, "friday": 4,
                  "week-end": 4}

PREFIX = {"fr": ["franchement ", "sérieux ", "bon ", "perso ", "wow ", "attendez ", "bref ", "honnêtement ", "alors là ",
                  "euh ", "putain ", "genre "],
          "en": ["honestly ", "ngl ", "wow ", "seriously ", "ok so ", "tbh ", "man ", "bruh ", "yo "]}
SUFFIX = {"fr": [" quoi", " sérieux", " hein", " bref", " franchement", " 🙄", " jsp", " ..."],
          "en": [" tbh", " lol", " smh", " fr", " honestly", " ..."]}


def affix(tpl: str, lang: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.14:
        head = tpl[:1] if tpl.startswith("{") else tpl[:1].lower()
        return rng.choice(PREFIX[lang]) + head + tpl[1:]
    if r < 0.24:
        return tpl.rstrip(".!") + rng.choice(SUFFIX[lang])
    return tpl


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------
def quiet_during(windows):
    """Ordinary chat slows down (people talk about the crisis instead) inside [(community, t1, t2)]."""
    def mult(community, t):
        for c, a, b in windows:
            if c == community and a <= t < b:
                return 0.6
        return 1.0
    return mult


def minutes_left(d, start):
    return int((d.t_end - start).total_seconds() // 60)


def sc_calm_plain(d):
    d.baseline()
    return {"crisis": False, "start": None, "term": None, "product": None, "communities": [],
            "notes": "Ordinary day: greetings, rides, off-topic, brand questions, a little praise and the usual "
                     "isolated complaints at baseline rate."}


def sc_calm_complaints(d):
    d.baseline(weights={"complaint": 12, "q_support": 5, "praise": 3})
    return {"crisis": False, "start": None, "term": None, "product": None, "communities": [],
            "notes": "Normal-but-grumpy day: about 4x the baseline rate of ordinary complaints (creaking handlebar, app "
                     "logout, a late parcel, slow support reply, pricey spare parts...), spread over the whole day, "
                     "by many different authors, across all topics, each answered with advice. No topic "
                     "concentrates, no burst. Not a crisis."}


def sc_calm_competitor(d):
    sd, st = d.at(12, 14, 30), d.at(12, 21, 0)

    def rate_d(m):
        if m < 20:
            return 1.6
        return 0.08 + 1.5 * math.exp(-(m - 20) / 40)

    d.baseline(weights={"zipbash": 28, "competitor": 4}, cat_hours={"zipbash": (9, 23)})
    d.crisis_stream("zip_recall", DISCORD, sd, rate_d, minutes_left(d, sd), [CH_GENERAL, CH_GENERAL, CH_RIDES],
                    lurkers=12, late_after=120)
    d.crisis_stream("zip_recall", TELEGRAM, st, lambda m: 0.5 * rate_d(m), minutes_left(d, st), [TG_CH],
                    lurkers=8, late_after=120)
    return {"crisis": False, "start": None, "term": "Zipwheel", "product": "competitor", "communities": [DISCORD, TELEGRAM],
            "competitor_burst_start_by_community": {DISCORD: iso(sd), TELEGRAM: iso(st)},
            "notes": "Competitor Zipwheel has a recall / app outage / support scandal; from ~09:00 both communities "
                     "mock and criticise Zipwheel heavily (negative words, 'rappel', 'arnaque'-like tone) while "
                     "mentioning Voltaro mostly favourably ('glad I'm on Voltaro'). At 12:14 (Discord) / 12:21 "
                     "(Telegram) the official Zipwheel recall news drops: a burst of ~1.6 msg/min of mockery and "
                     "criticism of Zipwheel for ~20 min, decaying over the afternoon. Negative buzz is about the "
                     "competitor only: NOT a crisis for our brand (a detector should not alert on Voltaro)."}


def sc_calm_event(d):
    d.baseline(weights={"event": 14, "praise": 7}, volume=1.3, cat_hours={"event": (16, 23)})
    return {"crisis": False, "start": None, "term": "Voltaro Night Ride event / new colours", "product": "Voltaro S1",
            "communities": [DISCORD, TELEGRAM],
            "notes": "Busy positive day: Voltaro Night Ride community event in the evening and new S1 colours "
                     "announced; high message volume and many brand mentions, overwhelmingly positive. Volume "
                     "spike without dissatisfaction: not a crisis."}


def sc_spike_fire(d):
    sd, st = d.at(19, 42, 10), d.at(19, 44, 5)

    def rate_d(m):
        if m < 1:
            return 0.5
        if m < 10:
            return 3.8
        if m < 70:
            return 0.35 + 3.45 * math.exp(-(m - 10) / 30)
        return 0.05 + 0.3 * math.exp(-(m - 70) / 80)

    d.baseline(rate_mult=quiet_during([(DISCORD, sd, d.t_end), (TELEGRAM, st, d.t_end)]))
    d.crisis_stream("battery_fire", DISCORD, sd, rate_d, minutes_left(d, sd), [CH_GENERAL, CH_GENERAL, CH_GENERAL, CH_SAV],
                    lurkers=26, late_after=55,
                    cm=[(36, "Bonsoir à tous. Nous avons connaissance de la vidéo qui circule. Nos équipes analysent la "
                             "situation en priorité, nous reviendrons vers vous ce soir. Par précaution, ne laissez pas "
                             "votre trottinette en charge sans surveillance."),
                        (118, "Communiqué officiel publié sur notre site. Enquête en cours avec les autorités, "
                              "nous vous tiendrons informés ici.")])
    d.crisis_stream("battery_fire", TELEGRAM, st, lambda m: 0.45 * rate_d(m), minutes_left(d, st), [TG_CH],
                    lurkers=14, late_after=55,
                    cm=[(40, "Hi all, we're aware of the video circulating. Our teams are looking into it as a priority. "
                             "As a precaution, please don't leave your scooter charging unattended.")])
    return {"crisis": True, "start": iso(sd), "term": "batterie / battery", "product": "Voltaro Max",
            "communities": [DISCORD, TELEGRAM], "start_by_community": {DISCORD: iso(sd), TELEGRAM: iso(st)},
            "notes": "Sudden spike: a video of a Voltaro Max battery fire is posted at 19:42 on Discord #general, "
                     "relayed on Telegram 2 minutes later. ~50 worried/angry messages within 10 minutes, decaying "
                     "over ~1h, long tail until 23:00. CM acknowledgement at ~20:18."}


def sc_slow_delivery(d):
    sd, st = d.at(10, 47, 30), d.at(11, 38, 0)

    def rate_d(m):
        if m < 170:
            return 0.03 + 0.82 * (m / 170) ** 1.3
        if m < 255:
            return 0.85
        return 0.1 + 0.75 * math.exp(-(m - 255) / 110)

    d.baseline(rate_mult=quiet_during([(DISCORD, d.at(12, 30), d.at(15, 30))]))
    d.crisis_stream("delivery_late", DISCORD, sd, rate_d, minutes_left(d, sd), [CH_SAV, CH_SAV, CH_GENERAL],
                    lurkers=24, late_after=200, reply_share=0.3,
                    cm=[(150, "Bonjour à tous, nous rencontrons un retard chez notre entrepôt sur la Voltaro S1. "
                              "Toutes les commandes concernées vont recevoir un mail avec une nouvelle date. "
                              "Désolés pour la gêne."),
                        (240, "Merci de nous envoyer votre numéro de commande en MP, on regarde au cas par cas.")])
    d.crisis_stream("delivery_late", TELEGRAM, st, lambda m: 0.25 * rate_d(m + 50), minutes_left(d, st), [TG_CH],
                    lurkers=8, late_after=160, trigger_lang="en")
    return {"crisis": True, "start": iso(sd), "term": "livraison / delivery", "product": "Voltaro S1",
            "communities": [DISCORD, TELEGRAM], "start_by_community": {DISCORD: iso(sd), TELEGRAM: iso(st)},
            "notes": "Slow rise: first 'my S1 order is stuck' message at 10:47 in #aide-sav; delivery complaints "
                     "grow roughly linearly over ~2h50 (from <1 per 10 min to ~0.85/min around 13:40), plateau "
                     "until ~15:00, then slowly fade. Telegram gets a smaller echo from 11:38. No single burst."}


def sc_one_member(d):
    rng = d.rng
    sd = d.at(15, 20, 40)
    d.baseline()
    am = ANGRY_MEMBER
    d.pool[DISCORD].append(am)
    spec = C["one_member"]
    angry_msgs = []
    windows = [(sd, 78, 0.75), (d.at(17, 41, 5), 24, 0.6), (d.at(21, 12, 0), 9, 0.5)]
    opener = ("Bon. Ça fait 6 semaines que ma Voltaro Max est au SAV, ticket #88213, et PERSONNE ne me répond. "
              "C'est quoi ce service ???")
    angry_msgs.append(d.add(sd, DISCORD, CH_SAV, am, opener, kind="one_member", tag="one_member"))
    for w_start, dur, per_min in windows:
        t = w_start + timedelta(seconds=50) if w_start == sd else w_start
        while t < w_start + timedelta(minutes=dur):
            tpl = d.draw(spec["angry"]["fr"])
            text = stylize(fill(tpl, "fr", rng), "fr", "angry", rng, shouty=True)
            ch = CH_SAV if rng.random() < 0.7 else CH_GENERAL
            m = d.add(t, DISCORD, ch, am, text, kind="one_member", tag="one_member")
            if m:
                angry_msgs.append(m)
            t += timedelta(seconds=int(rng.expovariate(per_min / 60)) + 6)
    # Other members answer now and then; nobody else joins the complaint in earnest.
    for m in rng.sample(angry_msgs, 18):
        who = d.pick_author(DISCORD, lang_pref="fr")
        text = stylize(d.draw(spec["others"]["fr"]), "fr", None, rng)
        d.add(m["ts"] + timedelta(seconds=rng.randint(20, 200)), DISCORD, m["channel"], who, text, reply_to=m,
              kind="others", tag="one_member")
    for m in rng.sample(angry_msgs[40:], 2):
        who = d.pick_author(TELEGRAM, lang_pref="en")
        d.add(m["ts"] + timedelta(minutes=rng.randint(3, 12)), TELEGRAM, TG_CH, who,
              rng.choice(spec["others"]["en"]), kind="others", tag="one_member")
    for i, line in enumerate(spec["cm"]["fr"]):
        target = angry_msgs[[8, 30, 62][i]]
        d.add(target["ts"] + timedelta(seconds=rng.randint(40, 120)), DISCORD, target["channel"], CM_DISCORD, line,
              reply_to=target, kind="cm", tag="one_member")
    return {"crisis": False, "start": iso(sd), "term": "SAV / support", "product": "Voltaro Max",
            "communities": [DISCORD], "one_member": {"author": am["id"], "name": am["name"],
                                                      "messages": len([m for m in d.msgs if m["author"] is am])},
            "notes": "One angry member (Stephane_M) floods #aide-sav and #general about his Voltaro Max stuck 6 weeks "
                     "at support: ~60 messages 15:20-16:40, again 17:41-18:05 and a few at 21:12, often in caps. "
                     "Other members mostly tell him to calm down or DM support, one or two concede the delay is long, "
                     "a CM answers three times. Decision: NOT a brand crisis (a single voice, no spread, no other "
                     "unhappy members) - it is a moderation / one-to-one support case. 'start' is when the shouting "
                     "starts, for reference; a detector that counts authors rather than messages should not call "
                     "it a bad buzz. Label 'one_member' so the scorer can treat it separately."}


def sc_spread(d):
    st, sd = d.at(14, 10, 20), d.at(14, 53, 40)

    def rate_t(m):
        if m < 2:
            return 0.1
        if m < 15:
            return 0.3 + 1.3 * m / 15
        if m < 65:
            return 1.6
        return 0.04 + 1.56 * math.exp(-(m - 65) / 45)

    def rate_d(m):
        if m < 3:
            return 0.2
        if m < 15:
            return 0.4 + 0.9 * m / 15
        if m < 55:
            return 1.3
        return 0.04 + 1.26 * math.exp(-(m - 55) / 45)

    d.baseline(rate_mult=quiet_during([(TELEGRAM, st, d.at(16, 30)), (DISCORD, sd, d.at(17, 0))]))
    d.crisis_stream("warranty_spread", TELEGRAM, st, rate_t, minutes_left(d, st), [TG_CH], lurkers=22, late_after=90,
                    trigger_lang="en",
                    cm=[(96, "Hi all, we hear you. Warranty decisions on water ingress are being reviewed by our "
                             "quality team; please DM us your case number.")])
    d.crisis_stream("warranty_spread", DISCORD, sd, rate_d, minutes_left(d, sd), [CH_GENERAL, CH_SAV, CH_GENERAL],
                    lurkers=22, late_after=80, trigger_lang="fr",
                    cm=[(64, "Bonjour à tous, nous avons vu les messages sur la garantie et l'étanchéité de la S1. "
                             "Le sujet est remonté à la direction qualité, envoyez-nous vos numéros de dossier en MP.")])
    return {"crisis": True, "start": iso(st), "term": "SAV / support", "product": "Voltaro S1",
            "detail": "warranty refused for water damage despite IP65",
            "communities": [TELEGRAM, DISCORD], "start_by_community": {TELEGRAM: iso(st), DISCORD: iso(sd)},
            "notes": "Starts on Telegram at 14:10 (warranty refused for 'water damage' on an IP65 S1; others share "
                     "the same story, ~1.6 msg/min for an hour). Spreads to Discord at 14:53 (43 min later) when a "
                     "member asks 'vous avez vu ce qui se passe sur le Telegram ?'; Discord then climbs to ~1.3 "
                     "msg/min. Before 14:10 both communities are normal."}


def sc_price(d):
    sd, st = d.at(11, 2, 15), d.at(11, 5, 0)

    def rate_d(m):
        if m < 2:
            return 0.5
        if m < 30:
            return 2.0
        if m < 390:
            return 0.1 + 1.9 * math.exp(-(m - 30) / 38)
        if m < 480:
            return 0.6
        return 0.06 + 0.54 * math.exp(-(m - 480) / 50)

    d.baseline(rate_mult=quiet_during([(DISCORD, sd, d.at(12, 30)), (TELEGRAM, st, d.at(12, 30))]))
    d.crisis_stream("price_increase", DISCORD, sd, rate_d, minutes_left(d, sd), [CH_GENERAL, CH_GENERAL, CH_SAV],
                    lurkers=26, late_after=380, reply_share=0.3,
                    cm=[(44, "Bonjour à tous, on comprend vos réactions. Précision : les propriétaires actuels gardent le "
                             "mode sport gratuitement pendant 12 mois. On transmet tous vos retours à l'équipe produit."),
                        (400, "On lit tous vos messages, une FAQ détaillée arrive demain.")])
    d.crisis_stream("price_increase", TELEGRAM, st, lambda m: 0.5 * rate_d(m), minutes_left(d, st), [TG_CH],
                    lurkers=14, late_after=380, trigger_lang="en")
    return {"crisis": True, "start": iso(sd), "term": "prix / price", "product": "Voltaro Max",
            "detail": "Max 899->1099 EUR and paid sport mode in Voltaro Ride",
            "communities": [DISCORD, TELEGRAM], "start_by_community": {DISCORD: iso(sd), TELEGRAM: iso(st)},
            "notes": "Price-increase backlash: newsletter at 11:02 announces Voltaro Max 899->1099 EUR and a paid "
                     "sport mode (2.99/month) in the Voltaro Ride app. Burst of anger (~2/min on Discord for 30 min, "
                     "~1/min on Telegram), decays over the afternoon, second wave 17:30-19:00 when people get home."}


def sc_app_outage(d):
    sd, st = d.at(8, 34, 20), d.at(8, 37, 0)

    def rate_d(m):
        if m < 3:
            return 1.0
        if m < 18:
            return 2.4
        if m < 124:
            return 0.9 * (1 - 0.35 * (m - 18) / 106)
        if m < 144:
            return 0.9
        if m < 280:
            return 0.1
        return 0.0

    d.baseline(rate_mult=quiet_during([(DISCORD, sd, d.at(10, 50)), (TELEGRAM, st, d.at(10, 50))]))
    d.crisis_stream("app_outage", DISCORD, sd, rate_d, minutes_left(d, sd), [CH_SAV, CH_GENERAL, CH_GENERAL],
                    lurkers=24, late_after=60, resolve_at=124,
                    cm=[(24, "Bonjour à tous, nous rencontrons un incident sur les serveurs de Voltaro Ride. Les équipes "
                             "techniques sont mobilisées, on vous tient au courant ici."),
                        (75, "Point d'étape : le problème est identifié, correctif en cours de déploiement."),
                        (125, "Le service Voltaro Ride est rétabli. Toutes nos excuses pour la gêne occasionnée ce matin.")])
    d.crisis_stream("app_outage", TELEGRAM, st, lambda m: 0.5 * rate_d(m + 3), minutes_left(d, st), [TG_CH],
                    lurkers=14, late_after=60, resolve_at=121, trigger_lang="en",
                    cm=[(27, "We're aware of an outage affecting Voltaro Ride. Teams are on it, updates here."),
                        (122, "Voltaro Ride is back up. Sorry for the disruption this morning.")])
    return {"crisis": True, "start": iso(sd), "term": "app", "product": "Voltaro Ride (app)",
            "detail": "outage, scooters cannot be unlocked",
            "communities": [DISCORD, TELEGRAM], "start_by_community": {DISCORD: iso(sd), TELEGRAM: iso(st)},
            "notes": "App outage during the morning commute: Voltaro Ride down from 08:34, scooters cannot be "
                     "unlocked. Immediate burst (~2.4/min on Discord), sustained complaints, CM acknowledges at "
                     "~08:58, service restored at ~10:38 ('ça remarche'), some grumbling until ~13:00."}


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# Which day gets which scenario (shuffled by hand; recorded only in labels.json)
PLAN = {
    1: ("slow_rise_delivery", sc_slow_delivery),
    2: ("calm_normal_complaints", sc_calm_complaints),
    3: ("app_outage", sc_app_outage),
    4: ("one_member", sc_one_member),
    5: ("calm_competitor_bashing", sc_calm_competitor),
    6: ("spike_battery_fire", sc_spike_fire),
    7: ("calm_plain", sc_calm_plain),
    8: ("spread_telegram_to_discord", sc_spread),
    9: ("price_increase_backlash", sc_price),
    10: ("calm_busy_positive_event", sc_calm_event),
}

BRAND = {
    "name": "Voltaro",
    "brand_terms": ["Voltaro", "voltaro", "VOLTARO", "Voltarro", "Voltaro Team", "@Voltaro_Team", "Voltaro's"],
    "products": {
        "Voltaro S1": ["Voltaro S1", "S1", "la S1", "ma S1", "voltaro s1", "s1"],
        "Voltaro Max": ["Voltaro Max", "la Max", "ma Max", "VMax", "V-Max", "Max (scooter)"],
        "Voltaro Mini": ["Voltaro Mini", "la Mini", "Mini"],
        "Voltaro Ride (app)": ["Voltaro Ride", "VoltaroRide", "l'appli", "l'app", "l'appli Ride", "the app",
                               "the Ride app", "the voltaro app"],
    },
    "topics": {
        "livraison / delivery": {"fr": ["livraison", "livré", "commande", "colis", "retard", "suivi", "transporteur",
                                        "expédiée", "en préparation"],
                                 "en": ["delivery", "shipping", "order", "parcel", "late", "tracking", "courier",
                                        "shipped", "processing"]},
        "prix / price": {"fr": ["prix", "tarif", "augmentation", "hausse", "abonnement", "payant", "cher", "€"],
                         "en": ["price", "pricing", "increase", "hike", "subscription", "paywall", "expensive"]},
        "SAV / support": {"fr": ["SAV", "service client", "garantie", "ticket", "remboursement", "réparation",
                                 "réparateur"],
                          "en": ["support", "customer service", "warranty", "ticket", "refund", "repair"]},
        "batterie / battery": {"fr": ["batterie", "autonomie", "charge", "chargeur", "prend feu", "brûle",
                                      "explose", "gonflée"],
                               "en": ["battery", "range", "charging", "charger", "fire", "caught fire",
                                      "explode", "swollen"]},
        "app": {"fr": ["appli", "application", "bug", "panne", "déverrouiller", "connexion", "mise à jour",
                       "firmware"],
                "en": ["app", "bug", "outage", "down", "unlock", "login", "update", "firmware"]},
    },
    "competitor": {"name": "Zipwheel", "terms": ["Zipwheel", "zipwheel", "Zip Wheel", "ZipWheel", "zipweel", "ZW",
                                                  "Zipwheel One"]},
    "common_misspellings": ["voltarro", "Voltarro", "voltaro s1", "vmax", "zipweel", "zip wheel"],
}


def main():
    authors = make_authors(random.Random(20261005))
    labels = {"brand": BRAND, "days": {}}
    for idx, (scenario, fn) in PLAN.items():
        d = Day(idx, scenario, authors, seed=7000 + idx * 31)
        info = fn(d)
        path = HERE / f"day{idx:02d}.jsonl"
        d.write(path)
        crisis_msgs = sum(1 for m in d.msgs if m["kind"] in ("crisis", "one_member"))
        labels["days"][path.name] = dict({"scenario": scenario}, **info,
                                         date=d.date.strftime("%Y-%m-%d"),
                                         messages=len(d.msgs),
                                         authors=len({m["author"]["id"] for m in d.msgs}),
                                         scenario_messages=crisis_msgs)
        print(f"{path.name} {scenario:28s} msgs={len(d.msgs):4d} authors={labels['days'][path.name]['authors']:3d} "
              f"scenario_msgs={crisis_msgs}")
    (HERE / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
