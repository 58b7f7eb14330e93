/* The lead photo box on the article form: each photo in the list with its thumbnail, since a library of agency
   photos cannot be told apart by caption alone; once one is picked, the preview beside the box shows it and the
   credit and alt text fields show its own as placeholders, before anyone saves.

   The box is Django's autocomplete (select2): the server adds thumbnail, credit and alt_text to each answer
   (PhotoAdmin.autocomplete_extras). */
"use strict";

(function () {
  function thumbnail(address, size) {
    const image = document.createElement("img");
    image.src = address;
    image.alt = "";
    image.width = size;
    image.height = size;
    image.className = "admin-thumbnail";
    return image;
  }

  // In the list a thumbnail to tell photos apart by; in the box itself one that fits its line.
  function withThumbnail(size) {
    return (item) => {
      if (!item.thumbnail) {
        return item.text;
      }
      const row = document.createElement("span");
      row.className = "photo-choice";
      const caption = document.createElement("span");
      caption.textContent = item.text;
      row.append(thumbnail(item.thumbnail, size), caption);
      return row;
    };
  }

  const WORDS = [["id_lead_photo_credit", "credit"], ["id_lead_photo_alt_text", "alt_text"]];

  function showChosen(item, saved) {
    const preview = document.querySelector(".field-lead_photo_preview .readonly");
    if (preview && item.thumbnail) {
      preview.replaceChildren(thumbnail(item.thumbnail, 240));
    }
    for (const [id, key] of WORDS) {
      const field = document.getElementById(id);
      if (!field) {
        continue;
      }
      if (String(item.id) === saved.id) {
        // The story's own photo again: its words as they were, since a blank beside it would erase them.
        field.value = saved[key];
        field.placeholder = "";
      } else {
        // The old photo's words must not sit beside the new one; left blank, the save keeps the new photo's own.
        field.value = "";
        field.placeholder = item[key] || "";
      }
    }
  }

  function enhance() {
    const $ = window.django && window.django.jQuery;
    const box = $ && $("#id_lead_photo.admin-autocomplete");
    if (!box || !box.length || !box.hasClass("select2-hidden-accessible")) {
      return;
    }
    // Made again as Django's autocomplete.js makes it (its other settings are the box's data- attributes),
    // with the two templates added.
    const element = box[0];
    box.select2("destroy").select2({
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: element.dataset.appLabel,
          model_name: element.dataset.modelName,
          field_name: element.dataset.fieldName,
        }),
      },
      templateResult: withThumbnail(48),
      templateSelection: withThumbnail(20),
    });
    // The saved photo and its words (ArticleAdminForm), to put back if it is picked again: after a refused save
    // the fields show what was posted instead.
    const saved = {
      id: element.dataset.savedPhoto || "",
      credit: element.dataset.savedCredit || "",
      alt_text: element.dataset.savedAltText || "",
    };
    box.on("select2:select", (event) => showChosen(event.params.data, saved));
    // Emptied with its ×: no photo to show, nor its words as a hint.
    box.on("select2:clear", () => {
      document.querySelector(".field-lead_photo_preview .readonly")?.replaceChildren("—");
      for (const [id] of WORDS) {
        const field = document.getElementById(id);
        if (field) {
          field.placeholder = "";
        }
      }
    });
    element.dataset.photoPicker = "ready";
  }

  // After Django's own autocomplete.js, which makes the box when the document is ready: a ready handler added
  // once the document is loaded runs after those added while it loaded (this file comes before jQuery's).
  document.addEventListener("DOMContentLoaded", () => window.django.jQuery(enhance));
})();
