/* The FAQ page's small enhancements; everything works without them.
   1. Opens the answer a link points at (/faq/#<slug>): browsers scroll to a closed
      <details> but do not open it.
   2. Sends "Was this answer helpful?" without leaving the page (feedback.views.vote);
      without this script the form posts and the page comes back with the thank-you.
   3. Tells the site that a search found nothing (feedback.views.missed_search), so
      the FAQ's editors see which questions are missing. Only the words are sent. */
(function () {
  "use strict";

  function openTarget() {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return; /* a malformed %-escape: nothing to open */
    }
    if (!id) {
      return;
    }
    var target = document.getElementById(id);
    if (target && target.tagName === "DETAILS" && !target.open) {
      target.open = true;
      target.scrollIntoView();
    }
  }

  function post(url, fields) {
    return window.fetch(url, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  }

  function sendVote(event) {
    var form = event.target.closest(".faq-helpful-form");
    if (!form || !event.submitter) {
      return;
    }
    event.preventDefault();
    if (form.dataset.sending) {
      return; // one vote at a time
    }
    // Marked busy, not disabled: a disabled button drops the keyboard focus.
    form.dataset.sending = "true";
    var status = form.parentNode.querySelector(".faq-helpful-status");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.setAttribute("aria-disabled", "true"); });
    post(form.action, { helpful: event.submitter.value })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        // Focus follows the vote only if it is still on its button: a reader who has
        // moved on (to the search box, say) keeps their place.
        var focusWasHere = form.contains(document.activeElement);
        form.hidden = true;
        status.textContent = status.dataset.thanks;
        if (focusWasHere) {
          // The focused button is gone: focus the thanks, where the reader was.
          status.tabIndex = -1;
          status.focus();
        }
      })
      .catch(function () {
        delete form.dataset.sending;
        buttons.forEach(function (button) { button.removeAttribute("aria-disabled"); });
        status.textContent = status.dataset.failed;
      });
  }

  function reportMissedSearch() {
    var empty = document.querySelector("[data-missed-search]");
    var input = document.getElementById("faq-q");
    if (empty && input && input.value) {
      post(empty.dataset.missedSearch, { q: input.value }).catch(function () {});
    }
  }

  openTarget();
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("submit", sendVote);
  reportMissedSearch();
})();
