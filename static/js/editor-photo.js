// A library photo inside the article body, for django-prose-editor's configurable preset.
//
// Stored as <figure data-photo-id="N"></figure>: the server keeps the id and nothing else, and readers get
// the photo's renditions, caption and credit. In the editor the figure carries a thumbnail so the writer
// sees which photo sits where; the sanitiser drops that <img> on save. Addresses and labels come from the
// "Photo" entry of BODY_EXTENSIONS (articles/text.py), so nothing here knows where the admin lives.
import { canInsertNode, crel, Node } from "django-prose-editor/editor"

const PHOTO_ID = /^[0-9]{1,18}$/

// "/admin/articles/photo/0/thumbnail/" is the thumbnail address of photo 0; put the real id in its place.
const thumbnailUrl = (template, id) => {
  const at = template.lastIndexOf("/0/")
  return at < 0 ? "" : `${template.slice(0, at)}/${id}/${template.slice(at + 3)}`
}

const addStylesheet = (href) => {
  if (!href || document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) return
  document.head.append(crel("link", { rel: "stylesheet", href }))
}

let pickerCount = 0

// A modal search of the photo library through the admin's autocomplete view; resolves to the chosen id or null.
const pickPhoto = ({ searchUrl, thumbnailUrl: template, labels }) =>
  new Promise((resolve) => {
    const inputId = `editor-photo-search-${++pickerCount}`
    const input = crel("input", { id: inputId, type: "search", name: "term", autocomplete: "off" })
    const status = crel("p", { className: "editor-photo-picker__status", role: "status" })
    const results = crel("ul", { className: "editor-photo-picker__results" })
    const cancel = crel("button", { type: "button", textContent: labels.cancel })
    const form = crel("form", {}, [
      crel("h3", { className: "prose-editor-dialog-title", textContent: labels.title }),
      crel("div", { className: "prose-editor-dialog-field" }, [
        crel("label", { htmlFor: inputId, textContent: labels.search }),
        input,
      ]),
      status,
      results,
      crel("div", { className: "prose-editor-dialog-buttons" }, [cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog editor-photo-picker" }, [form])
    // Outside the admin's own <form>, so pressing Enter here can never save the article.
    document.body.append(dialog)

    let chosen = null
    let pending = null
    let timer = null

    const search = async () => {
      pending?.abort()
      pending = new AbortController()
      const url = new URL(searchUrl, window.location.href)
      url.searchParams.set("term", input.value.trim())
      status.textContent = labels.searching
      try {
        const response = await fetch(url, {
          signal: pending.signal,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const data = await response.json()
        results.replaceChildren(
          ...data.results
            .filter((result) => PHOTO_ID.test(String(result.id)))
            .map((result) =>
              crel("li", {}, [
                crel("button", { type: "button", className: "editor-photo-picker__choice", "data-photo-id": result.id }, [
                  crel("img", { src: thumbnailUrl(template, result.id), alt: "", loading: "lazy" }),
                  crel("span", { textContent: result.text }),
                ]),
              ]),
            ),
        )
        status.textContent = !data.results.length ? labels.empty : data.pagination?.more ? labels.more : ""
      } catch (error) {
        if (error.name !== "AbortError") status.textContent = labels.failed
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(search, 250)
    })
    form.addEventListener("submit", (event) => {
      event.preventDefault()
      clearTimeout(timer)
      search()
    })
    results.addEventListener("click", (event) => {
      const choice = event.target.closest("button[data-photo-id]")
      if (!choice) return
      chosen = choice.dataset.photoId
      dialog.close()
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      clearTimeout(timer)
      pending?.abort()
      dialog.remove()
      resolve(chosen)
    })

    dialog.showModal()
    search()
  })

export const Photo = Node.create({
  name: "photo",
  group: "block",
  atom: true,
  draggable: true,

  addOptions() {
    return { thumbnailUrl: "", searchUrl: "", stylesheet: "", labels: {} }
  },

  onCreate() {
    addStylesheet(this.options.stylesheet)
  },

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-photo-id"),
        renderHTML: (attributes) => ({ "data-photo-id": attributes.id }),
      },
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure[data-photo-id]",
        // null: a match with no further attributes; false: not a photo.
        getAttrs: (element) => (PHOTO_ID.test(element.getAttribute("data-photo-id")) ? null : false),
      },
    ]
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      "figure",
      HTMLAttributes,
      ["img", { src: thumbnailUrl(this.options.thumbnailUrl, node.attrs.id), alt: this.options.labels.preview || "" }],
    ]
  },

  addCommands() {
    return {
      setPhoto:
        (id) =>
        ({ commands }) =>
          PHOTO_ID.test(String(id)) && commands.insertContent({ type: this.name, attrs: { id: String(id) } }),

      insertPhoto:
        () =>
        ({ editor, state, dispatch }) => {
          if (!dispatch) return canInsertNode(state, state.schema.nodes[this.name])
          pickPhoto(this.options).then((id) => {
            if (id) editor.chain().focus().setPhoto(id).run()
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "photo",
      groups: "nodes",
      command: (editor) => editor.commands.insertPhoto(),
      enabled: (editor) => editor.can().insertPhoto(),
      active: (editor) => editor.isActive(this.name),
      button: buttons.material("add_photo_alternate", this.options.labels.insert),
    })
  },
})
