/*
 * Booking pages: progressive enhancement. Without this file every page works
 * (the "Show times" and day buttons submit the form and the server answers with
 * the new times). With it, the times update in place when the service or day
 * changes, from our own endpoint (data-times-url, same origin only), and a
 * screen reader hears how many times there are.
 *
 * No words live here: what the script says comes from the page, in the page's
 * language (data-load-error on the form; the picker's data-announcement).
 */
(function () {
  "use strict";

  // Put the error summary first in line for keyboard and screen reader users (the
  // booking and move forms; the waitlist's and the health and consent forms load
  // this file for that alone).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // The picker's part of the page: the patient's whole form, or the desk's "Day
  // and time" section inside the admin's form (whose day field is called "day").
  var root = document.querySelector("[data-booking-form]");
  var form = root && (root.tagName === "FORM" ? root : root.closest("form"));
  if (!form || !window.fetch || !window.URL) {
    return;
  }
  var timesUrl = new URL(root.getAttribute("data-times-url"), window.location.href);
  if (timesUrl.origin !== window.location.origin) {
    return;
  }
  var container = root.querySelector("[data-time-picker]");
  var status = root.querySelector("[data-picker-status]");
  var dateName = root.getAttribute("data-date-name") || "date";
  var dateInput = root.querySelector("input[name='" + dateName + "']");
  if (!container || !dateInput) {
    return;
  }
  root.classList.add("js-enhanced");

  var pending = null;

  function selectedValue(name) {
    var checked = form.querySelector("input[name='" + name + "']:checked");
    return checked ? checked.value : "";
  }

  function announce(text) {
    if (status) {
      // Clear first so that the same sentence twice is still read out.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 50);
    }
  }

  function showFallback() {
    root.classList.remove("js-enhanced");
    announce(root.getAttribute("data-load-error") || "");
  }

  function loadTimes(options) {
    var url = new URL(timesUrl.href);
    var service = selectedValue("service");
    if (service) {
      url.searchParams.set("service", service);
    }
    if (dateInput.value) {
      url.searchParams.set("date", dateInput.value);
    }
    var time = selectedValue("time");
    if (time) {
      url.searchParams.set("time", time);
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    container.setAttribute("aria-busy", "true");
    fetch(url.href, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: pending.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        container.innerHTML = html;
        container.removeAttribute("aria-busy");
        var content = container.querySelector("[data-time-picker-content]");
        if (content) {
          var day = content.getAttribute("data-day");
          if (day && !dateInput.value) {
            dateInput.value = day;
          }
          announce(content.getAttribute("data-announcement") || "");
        }
        if (options && options.focusDay) {
          var chip = container.querySelector(
            "button[name='pick_date'][value='" + options.focusDay + "']"
          );
          if (chip) {
            chip.focus();
          }
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          container.removeAttribute("aria-busy");
          showFallback();
        }
      });
  }

  form.addEventListener("change", function (event) {
    var name = event.target.getAttribute("name");
    if (name === "service" || name === dateName) {
      loadTimes();
    }
  });

  // Day buttons: choose the day here instead of submitting the form.
  container.addEventListener("click", function (event) {
    var button = event.target.closest("button[name='pick_date']");
    if (!button) {
      return;
    }
    event.preventDefault();
    dateInput.value = button.value;
    loadTimes({ focusDay: button.value });
  });
})();
