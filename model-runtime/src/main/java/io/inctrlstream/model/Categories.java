package io.inctrlstream.model;

import java.util.Optional;

/**
 * What a product category name (the text prior's {@code "candle"}, {@code "metal_nut"}) may be:
 * non-blank and at most {@link #MAX_LENGTH} characters.
 *
 * <p>Why a length limit: the tokenizer's byte-pair merging is quadratic in the length of a word, so
 * with CLIP's 48,894 merges one 100,000-letter word took 30 s to tokenize and one of a million
 * letters would take close to an hour, while only the first 75 tokens of a prompt reach the text
 * encoder at all. A category is checked before any of that work starts.
 */
public final class Categories {
    /** Longest category accepted, in characters (UTF-16 code units, as {@link String#length()}). */
    public static final int MAX_LENGTH = 256;

    private Categories() {}

    /**
     * Why {@code category} cannot be a category: null, blank, or longer than {@link #MAX_LENGTH};
     * empty when it can. The message never repeats a long value.
     */
    public static Optional<String> problem(String category) {
        if (category == null) {
            return Optional.of("category must be a non-blank name, found null");
        }
        if (category.length() > MAX_LENGTH) {
            return Optional.of(
                    "category is too long: expected at most "
                            + MAX_LENGTH
                            + " characters, found "
                            + category.length());
        }
        if (category.isBlank()) {
            return Optional.of("category must be a non-blank name, found \"" + category + "\"");
        }
        return Optional.empty();
    }

    /**
     * {@code category}, checked.
     *
     * @throws IllegalArgumentException with {@link #problem}'s message if it is not a category
     */
    public static String require(String category) {
        Optional<String> problem = problem(category);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return category;
    }
}
