package io.inctrlstream.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.model.TextPrototypes;
import org.junit.jupiter.api.Test;

class PrototypeCacheTest {
    private static TextPrototypes prototypes(String category) {
        return TextPrototypes.of(category, new float[] {1f, 0f}, new float[] {0f, 1f});
    }

    @Test
    void keepsCategoriesUpToItsLimitAndNoneAfter() {
        PrototypeCache cache = new PrototypeCache(2);
        TextPrototypes a = prototypes("a");
        TextPrototypes b = prototypes("b");
        assertThat(cache.keep("a", a)).isSameAs(a);
        assertThat(cache.keep("b", b)).isSameAs(b);

        TextPrototypes c = prototypes("c");
        assertThat(cache.keep("c", c)).isSameAs(c);
        assertThat(cache.get("c")).isNull();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("a")).isSameAs(a);
    }

    @Test
    void theFirstPrototypesKeptForACategoryWin() {
        PrototypeCache cache = new PrototypeCache(1);
        TextPrototypes first = prototypes("a");
        cache.keep("a", first);
        assertThat(cache.keep("a", prototypes("a"))).isSameAs(first);
    }

    @Test
    void refusesANegativeLimit() {
        assertThatThrownBy(() -> new PrototypeCache(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the prototype cache limit must not be negative, found -1");
    }
}
