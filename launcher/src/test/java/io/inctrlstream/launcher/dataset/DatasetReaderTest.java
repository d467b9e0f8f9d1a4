package io.inctrlstream.launcher.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers on the small committed trees (src/test/resources/datasets), and their errors. */
class DatasetReaderTest {
    @TempDir Path temp;

    static Path tree(String name) throws URISyntaxException {
        return Path.of(DatasetReaderTest.class.getResource("/datasets/" + name).toURI());
    }

    @Test
    void readsTheMvtecLayout() throws Exception {
        Path root = tree("mvtec");
        AnomalyDataset dataset = DatasetReader.read(root);

        assertThat(dataset.layout()).isEqualTo(DatasetLayout.MVTEC_AD);
        assertThat(dataset.categories())
                .extracting(DatasetCategory::name)
                .containsExactly("bottle", "screw");
        DatasetCategory bottle = dataset.categories().get(0);
        assertThat(bottle.textCategory()).isEqualTo("bottle");
        assertThat(bottle.shotPool())
                .extracting(p -> root.relativize(p).toString())
                .containsExactly(
                        "bottle/train/good/000.png",
                        "bottle/train/good/001.png",
                        "bottle/train/good/002.png");
        assertThat(bottle.test())
                .containsExactly(
                        new TestImage(
                                root.resolve("bottle/test/broken/000.png"),
                                true,
                                "broken",
                                Optional.of(
                                        root.resolve("bottle/ground_truth/broken/000_mask.png"))),
                        new TestImage(
                                root.resolve("bottle/test/broken/001.png"),
                                true,
                                "broken",
                                Optional.empty()),
                        new TestImage(
                                root.resolve("bottle/test/good/000.png"),
                                false,
                                "good",
                                Optional.empty()));
        assertThat(bottle.goodTestImages()).isEqualTo(1);
        assertThat(bottle.anomalousTestImages()).isEqualTo(2);
    }

    @Test
    void readsOneMvtecCategoryFolderAlone() throws Exception {
        AnomalyDataset dataset = DatasetReader.read(tree("mvtec").resolve("screw"));
        assertThat(dataset.categories()).extracting(DatasetCategory::name).containsExactly("screw");
        assertThat(dataset.categories().get(0).shotPool()).hasSize(2);
    }

    @Test
    void readsTheVisaSplit() throws Exception {
        Path root = tree("visa");
        AnomalyDataset fromFolder = DatasetReader.read(root);
        AnomalyDataset fromFile = DatasetReader.read(root.resolve("split_csv/1cls.csv"));

        assertThat(fromFolder).isEqualTo(fromFile);
        assertThat(fromFolder.layout()).isEqualTo(DatasetLayout.VISA_SPLIT);
        assertThat(fromFolder.root()).isEqualTo(root);
        assertThat(fromFolder.categories())
                .extracting(DatasetCategory::name)
                .containsExactly("candle", "pcb1");
        DatasetCategory candle = fromFolder.categories().get(0);
        assertThat(candle.shotPool())
                .containsExactly(
                        root.resolve("candle/Data/Images/Normal/0000.JPG"),
                        root.resolve("candle/Data/Images/Normal/0001.JPG"));
        assertThat(candle.test())
                .containsExactly(
                        new TestImage(
                                root.resolve("candle/Data/Images/Anomaly/0000.JPG"),
                                true,
                                "anomaly",
                                Optional.of(root.resolve("candle/Data/Masks/Anomaly/0000.png"))),
                        new TestImage(
                                root.resolve("candle/Data/Images/Normal/0002.JPG"),
                                false,
                                "good",
                                Optional.empty()));
    }

    @Test
    void readsAGoodAndDefectPair() throws Exception {
        Path root = tree("good-defect/widget");
        AnomalyDataset dataset = DatasetReader.read(root);

        assertThat(dataset.layout()).isEqualTo(DatasetLayout.GOOD_AND_DEFECT);
        DatasetCategory widget = dataset.categories().get(0);
        assertThat(widget.name()).isEqualTo("widget");
        assertThat(widget.shotPool()).hasSize(3);
        // The good images are both the shot pool and good test images: the evaluation leaves a
        // run's shots out of its test images.
        assertThat(widget.goodTestImages()).isEqualTo(3);
        assertThat(widget.anomalousTestImages()).isEqualTo(1);
        assertThat(widget.test().get(0))
                .isEqualTo(
                        new TestImage(
                                root.resolve("defect/0.png"), true, "defect", Optional.empty()));
    }

    @Test
    void variantNamesShareTheirFamilysTextPrior() {
        assertThat(DatasetCategory.textCategoryOf("pcb-2")).isEqualTo("pcb");
        assertThat(DatasetCategory.textCategoryOf("metal_nut")).isEqualTo("metal_nut");
        assertThat(DatasetCategory.textCategoryOf("pcb1")).isEqualTo("pcb1");
    }

    @Test
    void selectsCategoriesAndNamesUnknownOnes() throws Exception {
        AnomalyDataset dataset = DatasetReader.read(tree("mvtec"));
        assertThat(dataset.select(List.of("screw")).categories())
                .extracting(DatasetCategory::name)
                .containsExactly("screw");
        assertThatThrownBy(() -> dataset.select(List.of("screw", "cable")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "dataset "
                                + dataset.root()
                                + " has no category cable; it has bottle, screw");
    }

    @Test
    void aMissingFolderIsNamed() {
        Path missing = temp.resolve("nope");
        assertThatThrownBy(() -> DatasetReader.read(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset " + missing + " does not exist");
    }

    @Test
    void aFolderWithoutALayoutSaysWhatIsExpectedAndWhatItHolds() throws IOException {
        Files.createDirectories(temp.resolve("pictures"));
        Files.writeString(temp.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "dataset "
                                + temp
                                + " has no categories: expected the MVTec AD layout"
                                + " (<category>/train/good/ and <category>/test/good/,"
                                + " <category>/test/<defect type>/), a VisA split CSV"
                                + " (split_csv/1cls.csv) or good/ and defect/ folders; found"
                                + " notes.txt, pictures/");
    }

    @Test
    void anMvtecCategoryWithoutTestImagesIsNamed() throws IOException {
        Path bottle = temp.resolve("bottle");
        png(bottle.resolve("train/good/000.png"));
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "category bottle ("
                                + bottle
                                + ") has no test/ folder (expected test/good/ and"
                                + " test/<defect type>/)");

        png(bottle.resolve("test/good/000.png"));
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "category bottle ("
                                + bottle
                                + "): test/ has no defect images (expected test/<defect type>/"
                                + " folders besides test/good/); found good/");
    }

    @Test
    void anMvtecCategoryWithoutTrainingImagesIsNamed() throws IOException {
        Path bottle = temp.resolve("bottle");
        png(bottle.resolve("test/good/000.png"));
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "category bottle ("
                                + bottle
                                + ") has no train/good/ folder (the good images shots are drawn"
                                + " from)");
        Files.createDirectories(bottle.resolve("train/good"));
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .hasMessage(
                        "category bottle ("
                                + bottle
                                + "): train/good/ has no .png, .jpg or .jpeg images");
    }

    @Test
    void visaSplitErrorsNameTheLine() throws IOException {
        Path csv = temp.resolve("split_csv/1cls.csv");
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, "object,split,image,mask\n");
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "split file "
                                + csv
                                + " has no column label: expected the header"
                                + " object,split,label,image,mask, found object,split,image,mask");

        Files.writeString(
                csv, "object,split,label,image,mask\ncandle,train,normal,candle/0000.JPG,\n");
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .hasMessage(
                        csv
                                + " line 2: image candle/0000.JPG not found (looked for "
                                + temp.resolve("candle/0000.JPG")
                                + ")");

        png(temp.resolve("candle/0000.png"));
        Files.writeString(
                csv,
                "object,split,label,image,mask\n"
                        + "candle,train,normal,candle/0000.png,\n"
                        + "candle,test,normal,candle/0000.png,\n");
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .hasMessage(
                        "category candle of "
                                + csv
                                + " needs normal and anomaly test images, found 1 normal and 0"
                                + " anomaly");
    }

    @Test
    void aGoodAndDefectPairNeedsTwoGoodImages() throws IOException {
        png(temp.resolve("good/0.png"));
        png(temp.resolve("defect/0.png"));
        assertThatThrownBy(() -> DatasetReader.read(temp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "dataset "
                                + temp
                                + ": good/ has 1 images, expected at least 2 (shots are drawn from"
                                + " them, and the rest are the good test images)");
    }

    static void png(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.copy(
                DatasetReaderTest.class.getResourceAsStream(
                        "/datasets/mvtec/bottle/train/good/000.png"),
                file);
    }
}
