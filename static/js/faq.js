/* Opens the answer a link points at (/faq/#<slug>): browsers scroll to a closed
   <details> but do not open it. Without this script the question is still shown
   at the top of the screen, one click from its answer. */
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

  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
