//! Charts as SVG drawn by plotters on the server: a line over the months, or
//! bars for anything else. Colours are SVG attributes (the CSP forbids style
//! attributes); the page scales the drawing (`.chart svg`) to its column, and
//! the numbers stand in a table beside each chart.

use plotters::prelude::*;

/// The site's volunteer red (`--red` in app.css).
const RED: RGBColor = RGBColor(0xc8, 0x10, 0x2e);
const WIDTH: u32 = 640;

/// Points over time (a month each), as a line with its points marked.
pub fn line(values: &[f64]) -> String {
    draw(values, |chart| {
        let pts: Vec<(i32, f64)> = values.iter().enumerate().map(|(i, v)| (i as i32, *v)).collect();
        chart.draw_series(LineSeries::new(pts.clone(), RED.stroke_width(3)))?;
        chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 4, RED.filled())))?;
        Ok(())
    })
}

/// One bar per value, in order.
pub fn bars(values: &[f64]) -> String {
    draw(values, |chart| {
        chart.draw_series(values.iter().enumerate().map(|(i, v)| {
            let x = i as i32;
            let mut bar = Rectangle::new([(x, 0.0), (x + 1, *v)], RED.filled());
            bar.set_margin(0, 0, 4, 4);
            bar
        }))?;
        Ok(())
    })
}

type Cartesian<'a> =
    ChartContext<'a, SVGBackend<'a>, Cartesian2d<plotters::coord::types::RangedCoordi32, plotters::coord::types::RangedCoordf64>>;
type Drawn = Result<(), Box<dyn std::error::Error + 'static>>;

/// The frame every chart shares: a y axis from zero to a little over the top
/// value, light grid lines, no x labels (the table names the bars).
fn draw(values: &[f64], series: impl FnOnce(&mut Cartesian<'_>) -> Drawn) -> String {
    let mut svg = String::new();
    let top = values.iter().copied().fold(0.0_f64, f64::max).max(1.0) * 1.1;
    let n = values.len().max(1) as i32;
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 260)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root).margin(8).y_label_area_size(48).x_label_area_size(8).build_cartesian_2d(0..n, 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_x_axis()
            .light_line_style(RGBColor(0xe3, 0xe6, 0xea))
            .y_labels(5)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        series(&mut chart)?;
        root.present()?;
        Ok(())
    })();
    match drawn {
        Ok(()) => svg,
        Err(e) => {
            tracing::warn!("chart not drawn: {e}");
            String::new()
        }
    }
}
