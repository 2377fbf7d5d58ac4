// The pretrained model a lesson starts from: the course base (shipped with the site), or a base the
// learner asks for (a hosted photo base, a URL, files), kept in this browser. Lessons 1 and 2 share the pick.
import { FileAttachment } from "observablehq:stdlib";
import { baseFromFiles, HOSTED_BASES, isBaseKept, loadBase, loadBaseKept } from "../lib/browser/index.js";
import { basePicker } from "../lib/viz/base-picker.js";

const CHOICE_KEY = "dl-course:base-choice:v1";

/** The course's own base, from the site's files. */
export async function courseBase() {
  return loadBase({
    modelJson: await FileAttachment("../models/base/model.json").json(),
    weights: await FileAttachment("../models/base/weights.bin").arrayBuffer(),
  });
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(CHOICE_KEY) ?? "null");
  } catch {
    return null;
  }
}

/** The picker (its value: the base in use); `course` is the course base. */
export function pickBase(course) {
  return basePicker({
    course,
    hosted: HOSTED_BASES,
    loadUrl: (url, options) => loadBaseKept(url, options),
    loadFiles: (files) => baseFromFiles(files),
    isKept: isBaseKept,
    remembered: remembered(),
    remember: (choice) => {
      try {
        localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
      } catch {
        // a browser that keeps nothing still has the pick for this page
      }
    },
  });
}
