// The explorer's only script: the reviewer's API key (kept in this tab's sessionStorage, and as
// a session cookie for reading pages where reads are keyed), confirm/reject through the API with
// that key, and the review queue's keyboard.
"use strict";

(function () {
  const flash = document.getElementById("flash");

  function say(message, kind) {
    flash.textContent = message;
    flash.className = "flash " + (kind || "info");
    flash.hidden = false;
  }

  function stored(name) {
    return sessionStorage.getItem(name) || "";
  }

  function summarise() {
    const summary = document.querySelector("[data-reviewer-summary]");
    if (!summary) return;
    summary.textContent = stored("provenance.key") ? "set" : "not set";
  }

  // Pages read with the key too where reads are keyed: a session cookie for this site only,
  // which the API itself never reads.
  function remember(key) {
    sessionStorage.setItem("provenance.key", key);
    document.cookie = "provenance_key=" + encodeURIComponent(key) + "; path=/; SameSite=Strict";
  }

  document.querySelectorAll("input[data-store]").forEach(function (input) {
    input.value = stored(input.dataset.store);
    input.addEventListener("input", function () {
      remember(input.value.trim());
      summarise();
    });
  });
  summarise();

  const keyForm = document.querySelector("[data-key-form]");
  if (keyForm) {
    keyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      remember(keyForm.elements.key.value.trim());
      window.location.reload();
    });
  }

  function askForKey(message) {
    const details = document.getElementById("reviewer");
    if (details) details.open = true;
    say(message, "error");
    const field = document.getElementById("api-key");
    if (field) field.focus();
  }

  async function decide(button) {
    const id = button.dataset.suggestion;
    const verb = button.dataset.decide;
    const row = button.closest("[data-suggestion-row]");
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const key = stored("provenance.key");
    if (key) headers["X-API-Key"] = key;
    row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    let response;
    try {
      response = await fetch("/v1/suggestions/" + id + "/" + verb, {
        method: "POST",
        headers: headers,
        body: "{}",
      });
    } catch (error) {
      say("The server could not be reached: " + error.message, "error");
      row.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      return;
    }
    if (response.ok) {
      const done = verb === "confirm" ? "Confirmed" : "Rejected";
      if (row.hasAttribute("data-reload")) {
        sessionStorage.setItem("provenance.flash", done + " suggestion " + id + ".");
        window.location.reload();
        return;
      }
      row.classList.add("decided");
      row.querySelector(".actions").textContent = done + ".";
      const more = move(row, 1);
      say(done + " suggestion " + id + "." + (more ? "" : " No more on this page: reload for the next."), "ok");
      return;
    }
    row.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    let detail = "";
    try { detail = (await response.json()).detail || ""; } catch (error) { detail = ""; }
    if (response.status === 401 || response.status === 403) {
      askForKey(
        (response.status === 401 ? "This action needs an API key" : "This API key may not review") +
        ": enter a key with the review scope under Reviewer key." + (detail ? " (" + detail + ")" : "")
      );
    } else {
      say("Could not " + verb + " suggestion " + id + ": " + (detail || response.statusText), "error");
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-decide]");
    if (button) decide(button);
  });

  // The review queue: j/k or arrows move between suggestions, c confirms, r rejects.
  function rows() {
    return Array.from(document.querySelectorAll(".queue [data-suggestion-row]:not(.decided)"));
  }

  // Focus the next suggestion not yet decided, if any; says whether there was one.
  function move(from, step) {
    const all = Array.from(document.querySelectorAll(".queue [data-suggestion-row]"));
    let at = all.indexOf(from) + step;
    while (at >= 0 && at < all.length && all[at].classList.contains("decided")) at += step;
    if (at < 0 || at >= all.length) return false;
    all[at].focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select")) return;
    const row = event.target.closest && event.target.closest(".queue [data-suggestion-row]");
    const key = event.key;
    if (!row) {
      if ((key === "j" || key === "ArrowDown") && rows().length && document.querySelector(".queue")) {
        rows()[0].focus();
        event.preventDefault();
      }
      return;
    }
    if (key === "j" || key === "ArrowDown") move(row, 1);
    else if (key === "k" || key === "ArrowUp") move(row, -1);
    else if ((key === "c" || key === "r") && !row.classList.contains("decided")) {
      decide(row.querySelector(key === "c" ? "button.confirm" : "button.reject"));
    } else return;
    event.preventDefault();
  });

  const pending = sessionStorage.getItem("provenance.flash");
  if (pending) {
    sessionStorage.removeItem("provenance.flash");
    say(pending, "ok");
  }
})();
