package org.bobbob.store.tool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;
import org.bobbob.store.VerifyReport;

/** What several verbs print alike: a check's problems and notes, and an error. */
final class Reports {
    private Reports() {}

    /** Each problem on a line of its own, its code first, then each note. */
    static void printProblems(PrintStream out, VerifyReport report) {
        for (VerifyReport.Problem p : report.problems()) {
            out.println(p);
        }
        for (String note : report.notes()) {
            out.println("note: " + note);
        }
    }

    /** The problems as JSON: {@code [{"code":"BOB-301","id":0,"message":"..."}]}. */
    static List<Object> problems(VerifyReport report) {
        List<Object> list = new ArrayList<>();
        for (VerifyReport.Problem p : report.problems()) {
            Map<String, Object> o = Json.object();
            o.put("code", p.code().id());
            o.put("id", p.id());
            o.put("message", p.message());
            list.add(o);
        }
        return list;
    }

    /** A check's figures, problems and notes into {@code json}. */
    static void putVerify(Map<String, Object> json, VerifyReport report) {
        json.put("ok", report.ok());
        json.put("objects", report.objects());
        json.put("objectsRead", report.objectsRead());
        json.put("bytesRead", report.bytesRead());
        json.put("problems", problems(report));
        json.put("notes", new ArrayList<Object>(report.notes()));
    }

    /**
     * An error as JSON: {@code {"ok":false,"error":{"code":"BOB-202","message":"..."}}}; the code is
     * null for an error without one (an I/O error outside the store).
     */
    static String errorJson(Exception e) {
        ErrorCode code = e instanceof StoreException s ? s.code() : null;
        Map<String, Object> error = Json.object();
        error.put("code", code == null ? null : code.id());
        error.put("message", e.getMessage() == null ? e.toString() : e.getMessage());
        Map<String, Object> json = Json.object();
        json.put("ok", false);
        json.put("error", error);
        return Json.write(json);
    }
}
