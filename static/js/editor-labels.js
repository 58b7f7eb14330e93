// django-prose-editor writes its toolbar's tooltips and the names in its block picker in English, asking no
// catalogue (its dialogs ask window.gettext, which the admin's JavaScript catalogue answers in Arabic). They go
// through that same catalogue as the toolbar appears (newsroom/admin_js_strings.js lists them). Only titles and
// the picker's names are touched, never what the writer typed.
"use strict"
;(() => {
  const say = window.gettext

  const translate = () => {
    for (const button of document.querySelectorAll(".prose-menubar__button[title]")) {
      const title = say(button.title)
      if (title !== button.title) {
        button.title = title
        button.setAttribute("aria-label", title)
      }
    }
    // Each option of the picker holds the block it makes (<h2>Heading 2</h2>), which shows what it looks like.
    for (const block of document.querySelectorAll(".prose-menubar__option > *")) {
      const words = say(block.textContent)
      if (words !== block.textContent) block.textContent = words
    }
  }

  const start = () => {
    // Loaded with the article admin's media, so on its list too, where there is no editor to watch.
    if (typeof say !== "function" || !document.querySelector('script[src*="django_prose_editor/"]')) return
    translate()
    // The editor builds its toolbar when it starts, and the picker's options when it first opens.
    new MutationObserver(translate).observe(document.body, { childList: true, subtree: true })
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
  else start()
})()
