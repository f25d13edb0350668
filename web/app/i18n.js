// The page's words in French (the users of the original service) and English.
const words = {
  fr: {
    language: 'English',
    login_title: 'Connexion',
    username: "Nom d'utilisateur",
    password: 'Mot de passe',
    login: 'Se connecter',
    logout: 'Se déconnecter',
    login_failed: 'Identifiants incorrects.',
    too_many: 'Trop de tentatives. Réessayez dans {seconds} s.',
    requests: 'Mes demandes',
    no_requests: "Aucune demande pour l'instant.",
    unread: '{count} non lu(s)',
    not_assigned: "Cette demande n'a pas encore de technicien : la conversation s'ouvrira à l'affectation.",
    back: 'Retour',
    chat: 'Discussion',
    message_label: 'Votre message',
    send: 'Envoyer',
    sending: 'envoi…',
    sent: 'envoyé',
    read: 'lu',
    failed: 'non envoyé',
    retry: 'Réessayer',
    typing: '{name} écrit…',
    the_other: "L'autre participant",
    you: 'Vous',
    older: 'Messages plus anciens',
    connecting: 'Connexion…',
    online: 'En ligne',
    offline: 'Hors ligne, reconnexion…',
    location: 'Position : {lat}, {lon}',
    voice: 'Message vocal ({seconds} s)',
    file: 'Fichier : {name}',
    video: 'Vidéo',
    status_pending: 'en attente',
    status_assigned: 'affectée',
    status_en_route: 'en route',
    status_on_site: 'sur place',
    status_completed: 'terminée',
    status_cancelled: 'annulée',
    error: 'Erreur : {detail}',
  },
  en: {
    language: 'Français',
    login_title: 'Sign in',
    username: 'Username',
    password: 'Password',
    login: 'Sign in',
    logout: 'Sign out',
    login_failed: 'Wrong username or password.',
    too_many: 'Too many attempts. Try again in {seconds} s.',
    requests: 'My requests',
    no_requests: 'No requests yet.',
    unread: '{count} unread',
    not_assigned: 'No technician is assigned yet: the conversation opens on assignment.',
    back: 'Back',
    chat: 'Chat',
    message_label: 'Your message',
    send: 'Send',
    sending: 'sending…',
    sent: 'sent',
    read: 'read',
    failed: 'not sent',
    retry: 'Retry',
    typing: '{name} is typing…',
    the_other: 'The other participant',
    you: 'You',
    older: 'Older messages',
    connecting: 'Connecting…',
    online: 'Online',
    offline: 'Offline, reconnecting…',
    location: 'Location: {lat}, {lon}',
    voice: 'Voice note ({seconds} s)',
    file: 'File: {name}',
    video: 'Video',
    status_pending: 'pending',
    status_assigned: 'assigned',
    status_en_route: 'en route',
    status_on_site: 'on site',
    status_completed: 'completed',
    status_cancelled: 'cancelled',
    error: 'Error: {detail}',
  },
};

let language = localStorage.getItem('fl.lang') ||
  ((navigator.language || 'fr').startsWith('en') ? 'en' : 'fr');

export function currentLanguage() { return language; }

export function setLanguage(next) {
  language = next;
  localStorage.setItem('fl.lang', next);
  document.documentElement.lang = next;
}

export function t(key, values = {}) {
  const text = words[language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
