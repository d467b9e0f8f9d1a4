package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the simulated cameras put in each recent frame, so that scores and alerts can be told apart
 * as caught defects or false alarms. Keeps the most recent frames only. Thread-safe.
 */
final class InjectedDefects {
    private final Map<String, Defect> byFrame;

    InjectedDefects(int capacity) {
        this.byFrame =
                new LinkedHashMap<>() {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Defect> eldest) {
                        return size() > capacity;
                    }
                };
    }

    synchronized void put(String lineId, String frameId, Defect defect) {
        byFrame.put(lineId + "/" + frameId, defect);
    }

    /** The frame's defect, or null if unknown (not ours, or forgotten). */
    synchronized Defect get(String lineId, String frameId) {
        return byFrame.get(lineId + "/" + frameId);
    }
}
