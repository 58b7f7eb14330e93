// django-prose-editor writes its toolbar's tooltips and the names in its block picker in English, asking no
// catalogue (its dialogs ask window.gettext, which the admin's JavaScript catalogue answers in Arabic). They go
// through that same catalogue as the toolbar appears (newsroom/admin_js_strings.js lists them). Only titles and
// the picker's names are touched, never what the writer typed.
"use strict"
;(() => {
  const say = window.gettext
  if (typeof say !== "function") return

  const translate = () => {
    for (const button of document.querySelectorAll(".prose-menubar__button[title]")) {
      const title = say(button.title)
      if (title !== button.title) {
        button.title = title
        button.setAttribute("aria-label", title)
      }
    }
    const names = ".prose-menubar__picker .ProseMirror > :not(.material-icons), .prose-menubar__selected > :not(.material-icons)"
    for (const name of document.querySelectorAll(names)) {
      const words = say(name.textContent)
      if (words !== name.textContent) name.textContent = words
    }
  }

  translate()
  // The editor builds its toolbar when it starts, and the picker's current name whenever the cursor moves.
  new MutationObserver(translate).observe(document.documentElement, { childList: true, subtree: true })
})()
