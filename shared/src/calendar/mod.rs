//! The working-day calendar (工作日): China's official schedule of holidays and make-up working days.
