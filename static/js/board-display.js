// The improvement board on the meeting room's large screen: reload every minute so
// that moves made on a phone or laptop show up. Nothing else; the page needs no script.
window.setTimeout(function () {
  window.location.reload();
}, 60 * 1000);
