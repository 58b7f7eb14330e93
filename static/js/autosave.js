/* Autosave for the article form (articles/editing.py).
 *
 * Every 30 seconds or so, if anything in the form changed, its fields go to the server as this person's draft
 * copy: the article itself is never touched, so its version does not move and nothing is published. When
 * nothing changed, a bare ping still tells the server the form is open, and the answer says who else has it
 * open. A closing tab sends what it has with navigator.sendBeacon, which outlives the page.
 *
 * A new article's form has its own draft key, drawn by the server into the autosave URL: it goes into a hidden
 * input here, so every autosave and the save itself carry it and two tabs of new articles keep two drafts.
 */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("newsroom-autosave");
  const form = box && box.closest("form");
  if (!form) {
    return;
  }
  const url = box.dataset.url;
  const query = new URL(url, window.location.href).searchParams;
  const draftKey = query.get("draft_key");
  if (draftKey && !form.querySelector("input[name=draft_key]")) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "draft_key";
    input.value = draftKey;
    form.append(input);
  }
  // Another tab's draft this page offers to restore or discard.
  const offered = query.get("offered");
  const seconds = Number(box.dataset.interval) || 30;
  const status = document.getElementById("newsroom-autosave-status");
  const presence = document.getElementById("newsroom-presence");
  let submitting = false;
  let sent = null;

  function fields() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      // Files are never autosaved.
      if (typeof value === "string") {
        params.append(name, value);
      }
    }
    return params;
  }

  function token() {
    return form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  function post(params) {
    return fetch(url, {
      method: "POST",
      body: params,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token() },
    }).then((response) => (response.ok ? response.json() : Promise.reject(response.status)));
  }

  function show(answer) {
    if (status && answer.status) {
      status.textContent = answer.status;
    }
    if (presence) {
      presence.textContent = answer.presence || "";
      presence.hidden = !answer.presence;
    }
  }

  function tick() {
    if (submitting) {
      return;
    }
    const params = fields();
    const body = params.toString();
    const changed = sent !== null && body !== sent;
    const request = changed ? params : new URLSearchParams({ csrfmiddlewaretoken: token(), ping: "1" });
    post(request)
      .then((answer) => {
        if (changed) {
          sent = body;
        }
        show(answer);
      })
      .catch(() => {
        if (status) {
          status.textContent = box.dataset.failed;
        }
      });
  }

  // What the form held once every widget had drawn itself: only changes from here on are autosaved.
  window.addEventListener("load", () => {
    sent = fields().toString();
  });
  form.addEventListener("submit", () => {
    submitting = true;
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "hidden" || submitting || sent === null) {
      return;
    }
    const params = fields();
    if (params.toString() !== sent && navigator.sendBeacon(url, params)) {
      sent = params.toString();
    }
  });
  window.setInterval(tick, seconds * 1000);

  if (offered) {
    for (const link of document.querySelectorAll(".history-autosave a[href='?restore_autosave=1']")) {
      link.href = "?" + new URLSearchParams({ restore_autosave: offered }).toString();
    }
  }
  for (const button of document.querySelectorAll("[data-autosave-discard]")) {
    button.addEventListener("click", () => {
      const discard = button.dataset.autosaveDiscard || offered || "1";
      post(new URLSearchParams({ csrfmiddlewaretoken: token(), discard })).then(() => {
        button.closest(".history-autosave").hidden = true;
      });
    });
  }
});
