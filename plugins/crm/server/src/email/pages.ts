import type { Language } from '../../../shared/contracts/email';

/**
 * The small pages a fan sees from a marketing email's links, in their language: the confirmation
 * of a sign-up and the unsubscribe page, each a button that POSTs (so a mail scanner that opens
 * links changes nothing), and the outcome.
 */
const WORDS = {
  en: {
    confirmTitle: 'Confirm your email',
    confirmText: (brand: string) => `Press the button to get news from ${brand} at this address.`,
    confirmButton: 'Yes, send me news',
    confirmedTitle: 'You are subscribed',
    confirmedText: (brand: string) => `Thank you: ${brand} will email you news. Every email has a link to unsubscribe.`,
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeText: (brand: string) => `Press the button and ${brand} will send no more news to this address.`,
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'You are unsubscribed',
    unsubscribedText: (brand: string) => `${brand} will send no more news to this address.`,
    problemTitle: 'This link cannot be used',
  },
  es: {
    confirmTitle: 'Confirma tu email',
    confirmText: (brand: string) => `Pulsa el botón para recibir noticias de ${brand} en esta dirección.`,
    confirmButton: 'Sí, envíame noticias',
    confirmedTitle: 'Te has suscrito',
    confirmedText: (brand: string) => `Gracias: ${brand} te enviará noticias por email. Cada email tiene un enlace para darte de baja.`,
    unsubscribeTitle: 'Darte de baja',
    unsubscribeText: (brand: string) => `Pulsa el botón y ${brand} no enviará más noticias a esta dirección.`,
    unsubscribeButton: 'Darme de baja',
    unsubscribedTitle: 'Te has dado de baja',
    unsubscribedText: (brand: string) => `${brand} no enviará más noticias a esta dirección.`,
    problemTitle: 'Este enlace no se puede usar',
  },
} as const;

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(language: Language, title: string, content: string) {
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<main>
<h1>${escape(title)}</h1>
${content}
</main>
</body>
</html>`;
}

const button = (action: string, label: string, field = '') =>
  `<form method="post" action="${escape(action)}">${field}<button type="submit" style="font-size: 1rem; padding: .6rem 1.2rem">${escape(label)}</button></form>`;

export const emailPages = {
  confirm: (language: Language, brand: string, action: string) =>
    page(language, WORDS[language].confirmTitle, `<p>${escape(WORDS[language].confirmText(brand))}</p>\n${button(action, WORDS[language].confirmButton)}`),
  confirmed: (language: Language, brand: string) => page(language, WORDS[language].confirmedTitle, `<p>${escape(WORDS[language].confirmedText(brand))}</p>`),
  unsubscribe: (language: Language, brand: string, action: string) =>
    page(language, WORDS[language].unsubscribeTitle, `<p>${escape(WORDS[language].unsubscribeText(brand))}</p>\n${button(action, WORDS[language].unsubscribeButton, '<input type="hidden" name="List-Unsubscribe" value="One-Click">')}`),
  unsubscribed: (language: Language, brand: string) => page(language, WORDS[language].unsubscribedTitle, `<p>${escape(WORDS[language].unsubscribedText(brand))}</p>`),
  problem: (language: Language, message: string) => page(language, WORDS[language].problemTitle, `<p role="alert">${escape(message)}</p>`),
};
